pub mod client_fields;
