//! The browser entry point: hydrate the server-rendered page and nothing else.

/// Hydrates asynchronously, as lazy routes (their own WASM chunks) require, then marks the page as
/// interactive (`data-hydrated` on `<body>`, which the browser tests wait for).
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // an error only means the executor was already started
    _ = any_spawner::Executor::init_wasm_bindgen();
    leptos::task::spawn_local(async {
        let Some(body) = leptos::prelude::document().body() else {
            return;
        };
        let owner = leptos::mount::hydrate_from_async(body.clone(), app::App).await;
        owner.forget();
        let _ = body.set_attribute("data-hydrated", "true");
    });
}
