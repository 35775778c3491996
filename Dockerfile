# syntax=docker/dockerfile:1
# Build: docker build -t linli .
# Run:   docker run -p 8080:8080 -v linli-data:/data linli
FROM rust:1.95-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends libpq-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cargo build --release --locked -p linli-api --bin linli

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpq5 ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home /data linli \
 && mkdir -p /data && chown linli /data
COPY --from=build /src/target/release/linli /usr/local/bin/linli
USER linli
VOLUME ["/data"]
ENV LINLI_DATA_DIR=/data \
    LINLI_DATABASE_URL=/data/linli.db \
    LINLI_BIND=0.0.0.0:8080 \
    LINLI_LOG_FORMAT=json
EXPOSE 8080
ENTRYPOINT ["linli"]
CMD ["serve"]
