//! X12 EDI: the 837P claim file we write, a reader for the files that come back, and the 835
//! remittance advice.

pub mod model;
pub mod read;
pub mod remit;
pub mod write;

pub use model::*;
pub use read::{read, Parsed, Segment};
pub use remit::{parse_835, write_835, Remittance};
pub use write::write_837p;
