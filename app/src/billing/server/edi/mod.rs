//! X12 EDI: the 837P claim file we write, a reader for the files that come back, the 999
//! acknowledgement and the 835 remittance advice.

pub mod ack;
pub mod model;
pub mod read;
pub mod remit;
pub mod write;

pub use ack::{parse_999, Acknowledgement, GroupAck};
pub use model::*;
pub use read::{read, Parsed, Segment};
pub use remit::{parse_835, write_835, Remittance};
pub use write::write_837p;
