//! Map coordinates as phones give them: WGS-84 (GPS) or GCJ-02 (高德, 腾讯 and other Chinese
//! map SDKs), and the conversion between the two. Linli stores WGS-84.

use std::f64::consts::PI;

use serde::{Deserialize, Serialize};

use crate::DomainError;

/// The datum a client's coordinates are in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum CoordSystem {
    /// GPS, OpenStreetMap, and what Linli stores.
    Wgs84,
    /// The shifted datum Chinese map SDKs return; the default because that is what a phone
    /// app in China gets from its map.
    #[default]
    Gcj02,
}

impl CoordSystem {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Wgs84 => "wgs84",
            Self::Gcj02 => "gcj02",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        match raw.trim() {
            "wgs84" => Ok(Self::Wgs84),
            "gcj02" => Ok(Self::Gcj02),
            _ => Err(DomainError::invalid(
                "coord_system",
                "must be wgs84 or gcj02",
            )),
        }
    }
}

/// A point in degrees: latitude in [-90, 90], longitude in [-180, 180], both finite. The
/// value does not say its datum; see [`CoordSystem`] and the conversions below.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawLatLng")]
pub struct LatLng {
    lat: f64,
    lng: f64,
}

#[derive(Deserialize)]
struct RawLatLng {
    lat: f64,
    lng: f64,
}

impl TryFrom<RawLatLng> for LatLng {
    type Error = DomainError;
    fn try_from(raw: RawLatLng) -> Result<Self, Self::Error> {
        Self::parse(raw.lat, raw.lng)
    }
}

impl LatLng {
    pub fn parse(lat: f64, lng: f64) -> Result<Self, DomainError> {
        if !(lat.is_finite() && (-90.0..=90.0).contains(&lat)) {
            return Err(DomainError::invalid(
                "lat",
                "must be a latitude from -90 to 90",
            ));
        }
        if !(lng.is_finite() && (-180.0..=180.0).contains(&lng)) {
            return Err(DomainError::invalid(
                "lng",
                "must be a longitude from -180 to 180",
            ));
        }
        Ok(Self { lat, lng })
    }

    pub fn lat(self) -> f64 {
        self.lat
    }

    pub fn lng(self) -> f64 {
        self.lng
    }

    /// This point, given in `system`, in WGS-84.
    pub fn to_wgs84(self, system: CoordSystem) -> Self {
        match system {
            CoordSystem::Wgs84 => self,
            CoordSystem::Gcj02 => gcj02_to_wgs84(self),
        }
    }

    /// This point, given in `system`, in GCJ-02.
    pub fn to_gcj02(self, system: CoordSystem) -> Self {
        match system {
            CoordSystem::Wgs84 => wgs84_to_gcj02(self),
            CoordSystem::Gcj02 => self,
        }
    }

    /// Great-circle distance in metres (haversine on a sphere of the Earth's mean radius;
    /// good to a fraction of a percent, plenty for "how far off").
    pub fn distance_m(self, other: Self) -> f64 {
        const MEAN_EARTH_RADIUS_M: f64 = 6_371_008.8;
        let (p1, p2) = (self.lat.to_radians(), other.lat.to_radians());
        let dp = p2 - p1;
        let dl = (other.lng - self.lng).to_radians();
        let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
        2.0 * MEAN_EARTH_RADIUS_M * h.sqrt().min(1.0).asin()
    }
}

// The public GCJ-02 forward transform (as in googollee/eviltransform and most open
// implementations): a polynomial-and-sine offset scaled on the Krasovsky 1940 ellipsoid.
const KRASOVSKY_A: f64 = 6_378_245.0;
const KRASOVSKY_EE: f64 = 0.006_693_421_622_965_943;

/// Whether the point is outside the rough box the transform applies to. GCJ-02 shifts only
/// points in China; elsewhere both datums are the same, so such points pass unchanged.
pub fn outside_china(p: LatLng) -> bool {
    !((72.004..=137.8347).contains(&p.lng) && (0.8293..=55.8271).contains(&p.lat))
}

/// WGS-84 → GCJ-02 (the closed-form forward transform).
pub fn wgs84_to_gcj02(p: LatLng) -> LatLng {
    if outside_china(p) {
        return p;
    }
    let (dlat, dlng) = offset(p.lat, p.lng);
    clamped(p.lat + dlat, p.lng + dlng)
}

/// GCJ-02 → WGS-84: the forward transform has no closed inverse, so it is inverted by
/// fixed-point iteration (the offset varies slowly, so each step gains several digits) until
/// the forward image of the result is within 1e-9° (about 0.1 mm) of the input.
pub fn gcj02_to_wgs84(p: LatLng) -> LatLng {
    const TOLERANCE_DEG: f64 = 1e-9;
    if outside_china(p) {
        return p;
    }
    let (mut lat, mut lng) = (p.lat, p.lng);
    for _ in 0..30 {
        let (dlat, dlng) = offset(lat, lng);
        let (err_lat, err_lng) = (lat + dlat - p.lat, lng + dlng - p.lng);
        lat -= err_lat;
        lng -= err_lng;
        if err_lat.abs() < TOLERANCE_DEG && err_lng.abs() < TOLERANCE_DEG {
            break;
        }
    }
    clamped(lat, lng)
}

/// The GCJ-02 offset in degrees (Δlat, Δlng) at a WGS-84 point.
fn offset(lat: f64, lng: f64) -> (f64, f64) {
    let x = lng - 105.0;
    let y = lat - 35.0;
    let common = (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    let mut dlat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * x.abs().sqrt();
    dlat += common;
    dlat += (20.0 * (y * PI).sin() + 40.0 * (y / 3.0 * PI).sin()) * 2.0 / 3.0;
    dlat += (160.0 * (y / 12.0 * PI).sin() + 320.0 * (y * PI / 30.0).sin()) * 2.0 / 3.0;
    let mut dlng = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * x.abs().sqrt();
    dlng += common;
    dlng += (20.0 * (x * PI).sin() + 40.0 * (x / 3.0 * PI).sin()) * 2.0 / 3.0;
    dlng += (150.0 * (x / 12.0 * PI).sin() + 300.0 * (x / 30.0 * PI).sin()) * 2.0 / 3.0;

    let rad_lat = lat.to_radians();
    let magic = 1.0 - KRASOVSKY_EE * rad_lat.sin().powi(2);
    let sqrt_magic = magic.sqrt();
    let dlat = (dlat * 180.0) / ((KRASOVSKY_A * (1.0 - KRASOVSKY_EE)) / (magic * sqrt_magic) * PI);
    let dlng = (dlng * 180.0) / (KRASOVSKY_A / sqrt_magic * rad_lat.cos() * PI);
    (dlat, dlng)
}

/// Offsets are under a few hundredths of a degree and the box is far from the poles and the
/// antimeridian, so results stay in range; clamping keeps the invariant without a panic path.
fn clamped(lat: f64, lng: f64) -> LatLng {
    LatLng {
        lat: lat.clamp(-90.0, 90.0),
        lng: lng.clamp(-180.0, 180.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(lat: f64, lng: f64) -> LatLng {
        LatLng::parse(lat, lng).unwrap()
    }

    #[test]
    fn coordinates_are_parsed() {
        assert!(LatLng::parse(27.83, 112.94).is_ok());
        assert!(LatLng::parse(-90.0, 180.0).is_ok());
        for (lat, lng) in [
            (90.1, 0.0),
            (-91.0, 0.0),
            (0.0, 180.5),
            (0.0, -181.0),
            (f64::NAN, 0.0),
            (0.0, f64::INFINITY),
        ] {
            assert!(LatLng::parse(lat, lng).is_err(), "{lat}, {lng}");
        }
        let q: LatLng = serde_json::from_str(r#"{"lat":27.83,"lng":112.94}"#).unwrap();
        assert_eq!(q, p(27.83, 112.94));
        assert!(serde_json::from_str::<LatLng>(r#"{"lat":127.83,"lng":112.94}"#).is_err());
        assert_eq!(
            serde_json::to_string(&CoordSystem::Gcj02).unwrap(),
            "\"gcj02\""
        );
        assert_eq!(CoordSystem::default(), CoordSystem::Gcj02);
        assert_eq!(CoordSystem::parse("wgs84").unwrap(), CoordSystem::Wgs84);
        assert!(CoordSystem::parse("bd09").is_err());
    }

    /// Published test vectors of googollee/eviltransform (WGS-84, GCJ-02).
    const PUBLISHED: [((f64, f64), (f64, f64)); 3] = [
        (
            (31.1774276, 121.5272106),
            (31.17530398364597, 121.531541859215),
        ), // Shanghai
        (
            (22.543847, 113.912316),
            (22.540796131694766, 113.9171764808363),
        ), // Shenzhen
        (
            (39.911954, 116.377817),
            (39.91334545536069, 116.38404722455657),
        ), // Beijing
    ];

    #[test]
    fn the_forward_transform_matches_published_pairs() {
        for ((wlat, wlng), (glat, glng)) in PUBLISHED {
            let gcj = wgs84_to_gcj02(p(wlat, wlng));
            assert!((gcj.lat() - glat).abs() < 1e-9, "{gcj:?}");
            assert!((gcj.lng() - glng).abs() < 1e-9, "{gcj:?}");
            let back = gcj02_to_wgs84(p(glat, glng));
            assert!(back.distance_m(p(wlat, wlng)) < 0.01, "{back:?}");
        }
    }

    #[test]
    fn round_trips_stay_below_half_a_metre_across_china() {
        let mut worst: f64 = 0.0;
        for i in 0..=40 {
            for j in 0..=60 {
                let lat = 18.0 + f64::from(i) * (53.0 - 18.0) / 40.0;
                let lng = 74.0 + f64::from(j) * (135.0 - 74.0) / 60.0;
                let wgs = p(lat, lng);
                let there_and_back = gcj02_to_wgs84(wgs84_to_gcj02(wgs));
                worst = worst.max(there_and_back.distance_m(wgs));
                let gcj = p(lat, lng);
                worst = worst.max(wgs84_to_gcj02(gcj02_to_wgs84(gcj)).distance_m(gcj));
            }
        }
        assert!(worst < 0.01, "worst round trip {worst} m");
    }

    #[test]
    fn mainland_cities_shift_by_hundreds_of_metres() {
        for (city, lat, lng) in [
            ("湘潭", 27.83, 112.94),
            ("北京", 39.9042, 116.4074),
            ("沈阳", 41.8057, 123.4315),
            ("乌鲁木齐", 43.8256, 87.6168),
            ("广州", 23.1291, 113.2644),
        ] {
            let wgs = p(lat, lng);
            let shift = wgs84_to_gcj02(wgs).distance_m(wgs);
            assert!((100.0..1000.0).contains(&shift), "{city}: {shift} m");
            assert_eq!(p(lat, lng).to_wgs84(CoordSystem::Wgs84), wgs);
            let from_phone = wgs
                .to_gcj02(CoordSystem::Wgs84)
                .to_wgs84(CoordSystem::Gcj02);
            assert!(from_phone.distance_m(wgs) < 0.01, "{city}");
        }
    }

    #[test]
    fn points_outside_china_are_not_shifted() {
        for (lat, lng) in [
            (48.8566, 2.3522),    // Paris
            (-33.8688, 151.2093), // Sydney
            (1.2, 60.0),
            (60.0, 100.0),
            (0.5, 110.0),
        ] {
            let q = p(lat, lng);
            assert!(outside_china(q));
            assert_eq!(wgs84_to_gcj02(q), q);
            assert_eq!(gcj02_to_wgs84(q), q);
        }
    }
}
