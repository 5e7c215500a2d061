use crate::auth::api::Login;
use crate::ui::form::{field_errors, form_error, Field};
use crate::ui::layout::go_to;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn LoginPage() -> impl IntoView {
    let login = ServerAction::<Login>::new();
    let result = login.value();
    let expired = move || use_query_map().with(|q| q.get("expired").is_some());

    Effect::new(move || {
        if let Some(Ok(user)) = result.get() {
            go_to(if user.must_change_password {
                "/account?first=1"
            } else {
                "/"
            });
        }
    });

    view! {
        <Title text="Sign in · MentalSpace EHR"/>
        <main class="login-page">
            <section class="login-card" aria-labelledby="login-title">
                <div class="brand brand-large"><span class="brand-mark" aria-hidden="true">"◐"</span>"MentalSpace EHR"</div>
                <h1 id="login-title">"Sign in"</h1>
                <Show when=expired>
                    <div class="notice notice-info" role="status">"You were signed out after a period of inactivity."</div>
                </Show>
                <ActionForm action=login attr:novalidate="true">
                    <Field label="Email" name="email" kind="email" autocomplete="username" required=true
                        errors=field_errors(result, "email")/>
                    <Field label="Password" name="password" kind="password" autocomplete="current-password" required=true
                        errors=field_errors(result, "password")/>
                    {move || form_error(result).get().map(|e| view! { <div class="notice notice-error" role="alert">{e.to_string()}</div> })}
                    <button type="submit" class="btn btn-primary btn-block" disabled=move || login.pending().get()>
                        {move || if login.pending().get() { "Signing in…" } else { "Sign in" }}
                    </button>
                </ActionForm>
            </section>
        </main>
    }
}
