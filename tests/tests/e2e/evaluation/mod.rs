//! The district's evaluation cycle (星级物业评选): schemes, itemised daily-work assessments,
//! satisfaction surveys, rating runs with publication and appeals, rectification orders.

mod assessments;
mod fair_inputs;
mod orders;
mod quarter;
mod ratings;
mod surveys;
