//! Phone-friendly photos: decode an upload, turn it upright, and re-encode it as a capped JPEG
//! original plus a small thumbnail. Re-encoding is what strips EXIF/XMP (GPS position, phone
//! model): only the pixels and the colour profile survive.

use std::io::Cursor;

use image::{
    DynamicImage, ImageDecoder, ImageEncoder, ImageFormat, ImageReader, Limits, RgbImage,
    codecs::jpeg::JpegEncoder, error::LimitErrorKind, imageops::FilterType,
};

/// The long side of the stored original: enough for a phone screen at full zoom.
pub const MAX_ORIGINAL_SIDE: u32 = 2560;
/// The long side of a thumbnail (a list row, a grid cell).
pub const MAX_THUMBNAIL_SIDE: u32 = 400;
/// Bytes accepted from the client; a phone photo is 2–12 MB.
pub const MAX_UPLOAD_BYTES: usize = 25 * 1024 * 1024;
/// Either side of a decodable image. A 200 MP phone camera shoots 16 320 × 12 240.
pub const MAX_SIDE: u32 = 16_384;
/// Pixels of a decodable image: a small file claiming a huge canvas (a decompression bomb)
/// is refused before any pixel buffer is allocated.
pub const MAX_PIXELS: u64 = 64_000_000;
/// Memory the decoder may allocate (a 64 MP RGB image is 192 MB).
const MAX_DECODER_ALLOC: u64 = 512 * 1024 * 1024;
const JPEG_QUALITY: u8 = 85;
const THUMBNAIL_QUALITY: u8 = 80;

/// A photo ready to store: both renditions are JPEG without metadata.
#[derive(Debug, Clone)]
pub struct ProcessedPhoto {
    pub original: Vec<u8>,
    pub thumbnail: Vec<u8>,
    /// Size of the stored original, after orientation and capping.
    pub width: u32,
    pub height: u32,
    pub content_type: &'static str,
}

#[derive(Debug, thiserror::Error)]
pub enum ImageError {
    #[error("the upload is larger than {MAX_UPLOAD_BYTES} bytes")]
    TooLarge,
    #[error("the upload is not an image")]
    NotAnImage,
    #[error("unsupported image format (JPEG, PNG or WebP expected)")]
    UnsupportedFormat,
    /// Too many pixels to decode safely (a decompression bomb, or a panorama beyond reason).
    #[error("the image has too many pixels")]
    TooManyPixels,
    #[error("the image cannot be decoded: {0}")]
    Corrupt(String),
    #[error("the image cannot be encoded: {0}")]
    Encode(String),
}

impl From<image::ImageError> for ImageError {
    fn from(e: image::ImageError) -> Self {
        match e {
            image::ImageError::Unsupported(_) => Self::UnsupportedFormat,
            image::ImageError::Limits(l) => match l.kind() {
                LimitErrorKind::DimensionError | LimitErrorKind::InsufficientMemory => {
                    Self::TooManyPixels
                }
                _ => Self::Corrupt(l.to_string()),
            },
            other => Self::Corrupt(other.to_string()),
        }
    }
}

/// Decode `bytes` (JPEG, PNG or WebP), apply the EXIF orientation, and re-encode an original
/// capped at [`MAX_ORIGINAL_SIDE`] and a thumbnail capped at [`MAX_THUMBNAIL_SIDE`].
///
/// CPU-bound (tens to hundreds of milliseconds for a phone photo): call it off the event loop.
pub fn process_upload(bytes: &[u8]) -> Result<ProcessedPhoto, ImageError> {
    if bytes.len() > MAX_UPLOAD_BYTES {
        return Err(ImageError::TooLarge);
    }
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| ImageError::Corrupt(e.to_string()))?;
    // The format comes from the magic bytes, never from a client-supplied name or type.
    match reader.format() {
        None => return Err(ImageError::NotAnImage),
        Some(ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP) => {}
        Some(_) => return Err(ImageError::UnsupportedFormat),
    }
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODER_ALLOC);
    reader.limits(limits);

    let mut decoder = reader.into_decoder()?;
    let (width, height) = decoder.dimensions();
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(ImageError::TooManyPixels);
    }
    // A broken orientation tag or colour profile is not worth refusing a photo for.
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let icc_profile = decoder.icc_profile().ok().flatten();
    let mut img = DynamicImage::from_decoder(decoder)?;
    img.apply_orientation(orientation);

    let original = fit(img, MAX_ORIGINAL_SIDE, FilterType::Lanczos3);
    let thumbnail = fit(
        DynamicImage::ImageRgb8(original.clone()),
        MAX_THUMBNAIL_SIDE,
        FilterType::Triangle,
    );
    Ok(ProcessedPhoto {
        width: original.width(),
        height: original.height(),
        original: encode_jpeg(&original, JPEG_QUALITY, icc_profile.clone())?,
        thumbnail: encode_jpeg(&thumbnail, THUMBNAIL_QUALITY, icc_profile)?,
        content_type: "image/jpeg",
    })
}

/// Shrink (never enlarge) to fit `max_side`, keeping the aspect ratio, as opaque RGB.
fn fit(img: DynamicImage, max_side: u32, filter: FilterType) -> RgbImage {
    let img = if img.width() > max_side || img.height() > max_side {
        img.resize(max_side, max_side, filter)
    } else {
        img
    };
    flatten_on_white(img)
}

/// JPEG has no alpha channel: transparent areas become white (as a browser shows them on a
/// white page) rather than the black that dropping the channel would give.
fn flatten_on_white(img: DynamicImage) -> RgbImage {
    if !img.color().has_alpha() {
        return img.into_rgb8();
    }
    let rgba = img.into_rgba8();
    RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let [r, g, b, a] = rgba.get_pixel(x, y).0;
        let blend = |c: u8| {
            let (c, a) = (u16::from(c), u16::from(a));
            // (c·a + 255·(255−a)) / 255, rounded; never above 255.
            ((c * a + 255 * (255 - a) + 127) / 255) as u8
        };
        image::Rgb([blend(r), blend(g), blend(b)])
    })
}

fn encode_jpeg(img: &RgbImage, quality: u8, icc: Option<Vec<u8>>) -> Result<Vec<u8>, ImageError> {
    let mut out = Vec::new();
    let mut encoder = JpegEncoder::new_with_quality(&mut out, quality);
    // The colour profile (e.g. Display P3 on recent phones) keeps colours right and says
    // nothing about the place or the person.
    if let Some(icc) = icc {
        let _ = encoder.set_icc_profile(icc);
    }
    encoder
        .write_image(
            img.as_raw(),
            img.width(),
            img.height(),
            image::ExtendedColorType::Rgb8,
        )
        .map_err(|e| ImageError::Encode(e.to_string()))?;
    Ok(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use image::{GenericImageView, ImageEncoder, Rgba, RgbaImage, codecs::png::PngEncoder};

    use super::*;

    /// A plain JPEG of `w` × `h` with a recognisable gradient.
    fn jpeg(w: u32, h: u32) -> Vec<u8> {
        let img = RgbImage::from_fn(w, h, |x, y| image::Rgb([(x * 5) as u8, (y * 5) as u8, 90]));
        let mut out = Vec::new();
        JpegEncoder::new_with_quality(&mut out, 90)
            .encode_image(&img)
            .unwrap();
        out
    }

    /// A big-endian TIFF/EXIF block: IFD0 with Orientation and a GPSInfo pointer; a GPS IFD
    /// with version, latitude reference and latitude (27° 51' 36").
    fn exif_with_gps(orientation: u16) -> Vec<u8> {
        fn entry(out: &mut Vec<u8>, tag: u16, kind: u16, count: u32, value: [u8; 4]) {
            out.extend_from_slice(&tag.to_be_bytes());
            out.extend_from_slice(&kind.to_be_bytes());
            out.extend_from_slice(&count.to_be_bytes());
            out.extend_from_slice(&value);
        }
        const SHORT: u16 = 3;
        const LONG: u16 = 4;
        const BYTE: u16 = 1;
        const ASCII: u16 = 2;
        const RATIONAL: u16 = 5;
        let mut t = b"MM\0\x2A\0\0\0\x08".to_vec();
        // IFD0 at 8: 2 entries, ends at 8 + 2 + 24 + 4 = 38.
        t.extend_from_slice(&2u16.to_be_bytes());
        let o = orientation.to_be_bytes();
        entry(&mut t, 0x0112, SHORT, 1, [o[0], o[1], 0, 0]);
        entry(&mut t, 0x8825, LONG, 1, 38u32.to_be_bytes());
        t.extend_from_slice(&0u32.to_be_bytes());
        // GPS IFD at 38: 3 entries, ends at 38 + 2 + 36 + 4 = 80; rationals at 80.
        t.extend_from_slice(&3u16.to_be_bytes());
        entry(&mut t, 0x0000, BYTE, 4, [2, 2, 0, 0]);
        entry(&mut t, 0x0001, ASCII, 2, *b"N\0\0\0");
        entry(&mut t, 0x0002, RATIONAL, 3, 80u32.to_be_bytes());
        t.extend_from_slice(&0u32.to_be_bytes());
        for (num, den) in [(27u32, 1u32), (51, 1), (36, 1)] {
            t.extend_from_slice(&num.to_be_bytes());
            t.extend_from_slice(&den.to_be_bytes());
        }
        t
    }

    /// Insert an APP1 `Exif\0\0` segment right after the JPEG's SOI marker.
    fn with_exif(jpeg: &[u8], tiff: &[u8]) -> Vec<u8> {
        assert_eq!(&jpeg[..2], &[0xFF, 0xD8]);
        let mut payload = b"Exif\0\0".to_vec();
        payload.extend_from_slice(tiff);
        let len = u16::try_from(payload.len() + 2).unwrap();
        let mut out = vec![0xFF, 0xD8, 0xFF, 0xE1];
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(&payload);
        out.extend_from_slice(&jpeg[2..]);
        out
    }

    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        haystack.windows(needle.len()).any(|w| w == needle)
    }

    fn decode(bytes: &[u8]) -> DynamicImage {
        image::load_from_memory_with_format(bytes, ImageFormat::Jpeg).unwrap()
    }

    #[test]
    fn exif_and_gps_are_gone_and_orientation_is_applied() {
        let input = with_exif(&jpeg(60, 30), &exif_with_gps(6));
        assert!(contains(&input, b"Exif"), "the fixture carries EXIF");
        // The fixture is valid: the decoder sees the orientation we wrote.
        let mut dec = ImageReader::new(Cursor::new(&input))
            .with_guessed_format()
            .unwrap()
            .into_decoder()
            .unwrap();
        assert_eq!(
            dec.orientation().unwrap(),
            image::metadata::Orientation::Rotate90
        );

        let photo = process_upload(&input).unwrap();
        for bytes in [&photo.original, &photo.thumbnail] {
            assert!(!contains(bytes, b"Exif"), "no EXIF left");
            assert!(!contains(bytes, &[0xFF, 0xE1]), "no APP1 segment at all");
            assert!(!contains(bytes, b"http://ns.adobe.com/xap"), "no XMP");
        }
        // Orientation 6 (rotate 90° clockwise) swaps the sides: 60 × 30 becomes 30 × 60.
        assert_eq!((photo.width, photo.height), (30, 60));
        assert_eq!(decode(&photo.original).dimensions(), (30, 60));
        assert_eq!(photo.content_type, "image/jpeg");
    }

    #[test]
    fn originals_are_capped_and_thumbnails_are_small() {
        let photo = process_upload(&jpeg(3000, 1000)).unwrap();
        assert_eq!((photo.width, photo.height), (2560, 853));
        assert_eq!(decode(&photo.original).dimensions(), (2560, 853));
        let (tw, th) = decode(&photo.thumbnail).dimensions();
        assert!(tw <= 400 && th <= 400, "thumbnail {tw}×{th}");
        assert_eq!(tw, 400);
    }

    #[test]
    fn small_images_are_not_enlarged() {
        let photo = process_upload(&jpeg(120, 80)).unwrap();
        assert_eq!((photo.width, photo.height), (120, 80));
        assert_eq!(decode(&photo.thumbnail).dimensions(), (120, 80));
    }

    #[test]
    fn png_with_transparency_becomes_a_white_backed_jpeg() {
        let img = RgbaImage::from_fn(500, 250, |x, _| {
            if x < 250 {
                Rgba([0, 0, 0, 0])
            } else {
                Rgba([200, 10, 10, 255])
            }
        });
        let mut png = Vec::new();
        PngEncoder::new(&mut png)
            .write_image(img.as_raw(), 500, 250, image::ExtendedColorType::Rgba8)
            .unwrap();
        let photo = process_upload(&png).unwrap();
        assert_eq!((photo.width, photo.height), (500, 250));
        let out = decode(&photo.original).into_rgb8();
        assert!(out.get_pixel(10, 10).0.iter().all(|&c| c > 240), "white");
        assert!(out.get_pixel(400, 10).0[0] > 180, "red stays red");
        assert_eq!(decode(&photo.thumbnail).dimensions(), (400, 200));
    }

    #[test]
    fn non_images_are_refused() {
        for bytes in [&b"hello, world"[..], b"", b"%PDF-1.7 ...", b"<svg></svg>"] {
            assert!(
                matches!(process_upload(bytes), Err(ImageError::NotAnImage)),
                "{bytes:?}"
            );
        }
        // A GIF is an image, but not one we decode.
        assert!(matches!(
            process_upload(b"GIF89a\x01\0\x01\0\0\0\0;"),
            Err(ImageError::UnsupportedFormat)
        ));
        // A JPEG cut off inside its headers. (One cut inside the pixel data decodes, grey at
        // the bottom, as browsers show it: a phone upload interrupted late is still a photo.)
        let cut = jpeg(64, 64);
        assert!(matches!(
            process_upload(&cut[..40]),
            Err(ImageError::Corrupt(_))
        ));
    }

    /// The start of a PNG claiming `w` × `h` RGB pixels: signature, header, an empty data
    /// chunk. A few dozen bytes.
    fn png_claiming(w: u32, h: u32) -> Vec<u8> {
        fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
            let mut body = kind.to_vec();
            body.extend_from_slice(data);
            out.extend_from_slice(&u32::try_from(data.len()).unwrap().to_be_bytes());
            out.extend_from_slice(&body);
            out.extend_from_slice(&crc32(&body).to_be_bytes());
        }
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        let mut ihdr = w.to_be_bytes().to_vec();
        ihdr.extend_from_slice(&h.to_be_bytes());
        ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
        chunk(&mut png, b"IHDR", &ihdr);
        chunk(&mut png, b"IDAT", &[]);
        png
    }

    #[test]
    fn decompression_bombs_are_refused_before_decoding() {
        // 60 000 × 60 000 would decode to 10 GB: beyond the limit on each side.
        let r = process_upload(&png_claiming(60_000, 60_000));
        assert!(matches!(r, Err(ImageError::TooManyPixels)), "{r:?}");
        // Within each side's limit, but 256 MP in all.
        let r = process_upload(&png_claiming(16_000, 16_000));
        assert!(matches!(r, Err(ImageError::TooManyPixels)), "{r:?}");
        // A long thin strip within the pixel budget is fine to open (and fails later here
        // only because the fixture has no pixel data).
        let r = process_upload(&png_claiming(16_000, 100));
        assert!(matches!(r, Err(ImageError::Corrupt(_))), "{r:?}");

        assert!(matches!(
            process_upload(&vec![0u8; MAX_UPLOAD_BYTES + 1]),
            Err(ImageError::TooLarge)
        ));
    }

    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for &b in bytes {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }
}
