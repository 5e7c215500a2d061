use crate::error::AppError;
use leptos::prelude::*;

/// The messages an action's last error holds for one field.
pub fn field_errors<T, R>(result: R, field: &'static str) -> Signal<Vec<String>>
where
    T: Send + Sync + 'static,
    R: With<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
{
    Signal::derive(move || {
        result.with(|r| match r {
            Some(Err(e)) => e
                .field_messages(field)
                .map(<[String]>::to_vec)
                .unwrap_or_default(),
            _ => Vec::new(),
        })
    })
}

/// The error of an action that is not about a single field.
pub fn form_error<T, R>(result: R) -> Signal<Option<AppError>>
where
    T: Send + Sync + 'static,
    R: With<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
{
    Signal::derive(move || {
        result.with(|r| match r {
            Some(Err(AppError::Validation { .. })) | None | Some(Ok(_)) => None,
            Some(Err(e)) => Some(e.clone()),
        })
    })
}

/// A labelled input with its error messages beside it (linked by aria-describedby).
#[component]
pub fn Field(
    label: &'static str,
    name: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(default = false)] required: bool,
    #[prop(into)] errors: Signal<Vec<String>>,
) -> impl IntoView {
    let id = format!("field-{name}");
    let err_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described = {
        let (err_id, hint_id) = (err_id.clone(), hint_id.clone());
        move || {
            let mut ids = Vec::new();
            if hint.is_some() {
                ids.push(hint_id.clone());
            }
            if !errors.get().is_empty() {
                ids.push(err_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="field" class:field-invalid=move || !errors.get().is_empty()>
            <label for=id.clone()>{label}</label>
            {hint.map(|h| view! { <p class="field-hint" id=hint_id.clone()>{h}</p> })}
            <input
                id=id.clone()
                name=name
                type=kind
                autocomplete=autocomplete
                required=required
                aria-invalid=move || (!errors.get().is_empty()).to_string()
                aria-describedby=described
            />
            <Show when=move || !errors.get().is_empty()>
                <ul class="field-errors" id=err_id.clone()>
                    {move || errors.get().into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}
                </ul>
            </Show>
        </div>
    }
}
