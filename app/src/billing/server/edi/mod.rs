//! X12 EDI: the 837P claim file we write, and a reader for the files that come back.

pub mod model;
pub mod read;
pub mod write;

pub use model::*;
pub use read::{read, Parsed, Segment};
pub use write::write_837p;
