pub mod chart;
pub mod contacts;
pub mod diagnoses;
pub mod list;
pub mod new;
