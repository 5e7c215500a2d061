//! Documentation pages.
