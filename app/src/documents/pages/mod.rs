//! Documentation pages: a note (editor or signed), and the chart's notes, measures and process notes.

pub mod chart;
pub mod editor;
pub mod measures;
pub mod note;
pub mod plan;
pub mod work;
