//! Phone-friendly photos: decode an upload, turn it upright, and re-encode it as a capped JPEG
//! original plus a small thumbnail. Re-encoding is what strips EXIF/XMP (GPS position, phone
//! model): only the pixels and the colour profile survive.

use std::io::Cursor;

use crate::{RepoError, limiter::Limiter};

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
/// Uploads waiting for a core beyond which processing refuses (503 with `Retry-After`).
pub const PROCESSING_QUEUE: usize = 16;
/// One photo per core at once: each takes a core and up to a few hundred MB for a moment.
static PROCESSING: Limiter = Limiter::new("photo processing", 0, PROCESSING_QUEUE);
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
    /// The processing queue is full.
    #[error(transparent)]
    Busy(#[from] RepoError),
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

/// [`process_upload`] in the process-wide bounded queue: it waits for a free core, or fails
/// with [`ImageError::Busy`] when too many uploads wait already. Blocking: call it off the
/// event loop.
pub fn process_bounded(bytes: &[u8]) -> Result<ProcessedPhoto, ImageError> {
    let _slot = PROCESSING.acquire(true)?;
    process_upload(bytes)
}

/// Photos being processed and uploads waiting right now (for the metrics).
pub fn queue_stats() -> (usize, usize) {
    PROCESSING.stats()
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
    use crate::test_photos::{
        GPS_LATITUDE, contains, exif_with_gps, jpeg, png_claiming, with_exif,
    };

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
            assert!(!contains(bytes, &GPS_LATITUDE), "no GPS position");
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
}
