pub mod week;
