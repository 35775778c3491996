//! The district's evaluation cycle (星级物业评选): assessment schemes per year, rating runs,
//! publication and appeals.

pub mod appeals;
pub mod orders;
pub mod ratings;
pub mod schemes;
pub mod surveys;
