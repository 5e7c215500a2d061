// `sqlx::migrate!` and `#[sqlx::test]` embed migrations/ at compile time: rebuild when it changes.
fn main() {
    println!("cargo:rerun-if-changed=../migrations");
}
