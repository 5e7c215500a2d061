use crate::auth::api::{mfa_status, StepUp};
use crate::ui::feedback::ErrorNotice;
use crate::ui::form::{field_errors, form_error, Field};
use crate::ui::layout::go_to;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// Where to go back to: an address of this site only (never another site's, however the link
/// was made).
fn local_address(next: Option<String>) -> String {
    // browsers drop tabs and line breaks from addresses ("/\t/evil" becomes "//evil")
    let plain = |n: &str| !n.chars().any(|c| c.is_control() || c.is_whitespace());
    next.filter(|n| n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') && plain(n))
        .unwrap_or_else(|| "/".to_owned())
}

/// "Confirm it is you": asked before releasing records or changing security settings when the
/// session's last proof of identity is over 5 minutes old; afterwards it goes back to `?next=`.
#[component]
pub fn ConfirmPage() -> impl IntoView {
    let step_up = ServerAction::<StepUp>::new();
    let status = Resource::new(|| (), |_| mfa_status());
    let query = use_query_map();
    let next = Memo::new(move |_| local_address(query.with(|q| q.get("next"))));
    let result = step_up.value();
    let done = move || matches!(result.get(), Some(Ok(())));
    Effect::new(move || {
        if done() {
            go_to(&next.get_untracked());
        }
    });
    let code_field = move || {
        let uses_code = status
            .get()
            .and_then(Result::ok)
            .is_some_and(|s| s.enabled_at.is_some());
        uses_code.then(|| view! {
            <Field label="Code from your authenticator app" name="code" kind="text" autocomplete="one-time-code"
                required=true hint="Or one of your recovery codes." errors=field_errors(result, "code")/>
        })
    };
    view! {
        <Title text="Confirm it is you · MentalSpace EHR"/>
        <h1>"Confirm it is you"</h1>
        <section class="card narrow" aria-labelledby="confirm-title">
            <h2 id="confirm-title" class="sr-only">"Confirm it is you"</h2>
            <p>"Releasing records and changing security settings ask for your password again when you \
                last confirmed it more than 5 minutes ago."</p>
            <ActionForm action=step_up attr:novalidate="true">
                <Field label="Password" name="password" kind="password" autocomplete="current-password"
                    required=true errors=field_errors(result, "password")/>
                <Suspense fallback=|| ()>{code_field}</Suspense>
                {move || form_error(result).get().map(|error| view! { <ErrorNotice error/> })}
                <Show when=done>
                    <div class="notice notice-success" role="status">
                        "Confirmed. " <a href=move || next.get()>"Continue"</a>
                    </div>
                </Show>
                <button type="submit" class="btn btn-primary" disabled=move || step_up.pending().get()>"Confirm"</button>
            </ActionForm>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::local_address;

    #[test]
    fn only_this_sites_addresses_are_returned_to() {
        assert_eq!(local_address(Some("/notes/1/pdf".into())), "/notes/1/pdf");
        for outside in [
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "notes",
        ] {
            assert_eq!(local_address(Some(outside.into())), "/", "{outside}");
        }
        assert_eq!(local_address(None), "/");
    }
}
