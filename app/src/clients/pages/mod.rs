pub mod chart;
pub mod contacts;
pub mod diagnoses;
pub mod flags;
pub mod insurance;
pub mod list;
pub mod new;
