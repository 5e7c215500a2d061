pub mod chart;
pub mod diagnoses;
pub mod list;
pub mod new;
