pub mod chart;
pub mod list;
pub mod new;
