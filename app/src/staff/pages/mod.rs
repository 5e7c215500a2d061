pub mod alerts;
pub mod directory;
pub mod profile;
