//! Reports for auditors, officials and dispatchers: the three rates, property-company star
//! ratings and the red/black list, CSV exports; daily work assessments.

pub mod assessments;
pub mod export;
pub mod params;
pub mod ratings;
pub mod summary;

use actix_web::{HttpResponse, http::header};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::error::{ApiError, ApiResult};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(summary::report_summary)
        .service(ratings::report_property_ratings)
        .service(export::export_issues_csv)
        .service(assessments::create_assessment)
        .service(assessments::list_assessments)
        .service(assessments::upload_assessment_photo)
        .service(assessments::get_assessment_photo);
}

/// The UTF-8 byte order mark: spreadsheet programs then read the Chinese names correctly.
pub const BOM: &str = "\u{FEFF}";

/// A CSV document (BOM, header row from the record type's fields, one row per record). Cells a
/// spreadsheet would run as a formula are neutralised (see [`neutralise`]). An empty report
/// still has its header row: `serialize` writes the header with the first record, so a blank
/// record is written for it and dropped.
pub fn csv_bytes<T: Serialize + Default>(records: &[T]) -> ApiResult<Vec<u8>> {
    let blank = [T::default()];
    let (written, kept) = if records.is_empty() {
        (&blank[..], 1)
    } else {
        (records, records.len() + 1)
    };
    let mut plain = Vec::new();
    {
        let mut writer = csv::Writer::from_writer(&mut plain);
        for r in written {
            writer.serialize(r).map_err(ApiError::internal)?;
        }
        writer.flush().map_err(ApiError::internal)?;
    }
    let mut out = BOM.as_bytes().to_vec();
    {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(plain.as_slice());
        let mut writer = csv::Writer::from_writer(&mut out);
        for record in reader.records().take(kept) {
            let record = record.map_err(ApiError::internal)?;
            writer
                .write_record(record.iter().map(|cell| neutralise(cell).into_owned()))
                .map_err(ApiError::internal)?;
        }
        writer.flush().map_err(ApiError::internal)?;
    }
    Ok(out)
}

/// CSV formula injection (OWASP): a cell that begins with `=`, `+`, `-`, `@`, a tab or a
/// carriage return is prefixed with `'`, so a spreadsheet shows it as text. Numbers (e.g. a
/// negative coordinate) stay numbers.
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && cell.parse::<f64>().is_err() {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// The records as a CSV download named `filename` (see [`csv_bytes`]).
pub fn csv_download<T: Serialize + Default>(
    filename: &str,
    records: &[T],
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/csv; charset=utf-8"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{filename}\""),
        ))
        .body(csv_bytes(records)?))
}

/// `20260701` for file names.
pub fn file_date(t: DateTime<Utc>) -> String {
    t.format("%Y%m%d").to_string()
}

#[cfg(test)]
mod tests {
    use super::neutralise;

    #[test]
    fn formula_cells_are_neutralised_and_numbers_kept() {
        for (cell, expected) in [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+1+1", "'+1+1"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("-1.5", "-1.5"),
            ("红管家物业", "红管家物业"),
            ("", ""),
        ] {
            assert_eq!(neutralise(cell), expected, "{cell:?}");
        }
    }
}
