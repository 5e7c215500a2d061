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

/// Any error of an action, validation included: for one-click actions without fields.
pub fn action_error<T, R>(result: R) -> Signal<Option<AppError>>
where
    T: Send + Sync + 'static,
    R: With<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
{
    Signal::derive(move || {
        result.with(|r| match r {
            Some(Err(e)) => Some(e.clone()),
            _ => None,
        })
    })
}

/// Counts an action's successes, for resources that reload after a change. (Its `version` counts
/// failed attempts too: reloading then would redraw the form and lose what was typed.)
pub fn successes<T, R>(result: R) -> Signal<usize>
where
    T: Send + Sync + 'static,
    R: With<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
{
    let count = RwSignal::new(0usize);
    Effect::new(move || {
        if result.with(|r| matches!(r, Some(Ok(_)))) {
            count.update(|c| *c += 1);
        }
    });
    count.into()
}

/// A node ref for a form that empties itself once its action succeeds.
pub fn reset_on_success<T, R>(result: R) -> NodeRef<leptos::html::Form>
where
    T: Send + Sync + 'static,
    R: With<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
{
    let form_ref = NodeRef::<leptos::html::Form>::new();
    Effect::new(move || {
        if result.with(|r| matches!(r, Some(Ok(_)))) {
            if let Some(form) = form_ref.get() {
                form.reset();
            }
        }
    });
    form_ref
}

/// (value, label) options for a [`SelectField`] from a constant table.
pub fn choices(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(v, l)| ((*v).to_owned(), (*l).to_owned()))
        .collect()
}

/// A browser-side check of one field's text: the message when it is wrong.
pub type FieldCheck = fn(&str) -> Result<(), String>;

/// A [`FieldCheck`] from a parser the server also runs: `field_check!(parse_phone)` or
/// `field_check!(|v| parse_name(v, "city"))` (a closure that captures nothing).
#[macro_export]
macro_rules! field_check {
    ($parse:expr) => {{
        fn check(v: &str) -> Result<(), String> {
            ($parse)(v).map(drop)
        }
        check as $crate::ui::form::FieldCheck
    }};
}

/// A labelled input with its error messages beside it (linked by aria-describedby).
///
/// `validate` runs in the browser when the field loses focus (the same parser the server runs), so
/// mistakes show at once; the server's messages for the field replace it after a submit.
/// `prefix` nests the submitted name (`client[email]`) for server functions taking a struct.
#[component]
pub fn Field(
    label: &'static str,
    name: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] prefix: Option<&'static str>,
    #[prop(optional)] validate: Option<FieldCheck>,
    #[prop(optional, into)] value: Option<String>,
    #[prop(default = false)] required: bool,
    #[prop(into)] errors: Signal<Vec<String>>,
) -> impl IntoView {
    let id = format!("field-{name}");
    let err_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let input_name = match prefix {
        Some(p) => format!("{p}[{name}]"),
        None => name.to_owned(),
    };
    let local_error = RwSignal::new(None::<String>);
    // a new server answer replaces what the browser said
    Effect::new(move || {
        errors.track();
        local_error.set(None);
    });
    let shown = Signal::derive(move || {
        let server = errors.get();
        if server.is_empty() {
            local_error.get().into_iter().collect()
        } else {
            server
        }
    });
    let described = {
        let (err_id, hint_id) = (err_id.clone(), hint_id.clone());
        move || {
            let mut ids = Vec::new();
            if hint.is_some() {
                ids.push(hint_id.clone());
            }
            if !shown.get().is_empty() {
                ids.push(err_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    let on_change = move |ev: leptos::ev::Event| {
        if let Some(check) = validate {
            local_error.set(check(&event_target_value(&ev)).err());
        }
    };
    view! {
        <div class="field" class:field-required=required class:field-invalid=move || !shown.get().is_empty()>
            <label for=id.clone()>{label}</label>
            {hint.map(|h| view! { <p class="field-hint" id=hint_id.clone()>{h}</p> })}
            <input
                id=id.clone()
                name=input_name
                type=kind
                value=value
                autocomplete=autocomplete
                required=required
                aria-invalid=move || (!shown.get().is_empty()).to_string()
                aria-describedby=described
                on:change=on_change
            />
            <Show when=move || !shown.get().is_empty()>
                <ul class="field-errors" id=err_id.clone()>
                    {move || shown.get().into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}
                </ul>
            </Show>
        </div>
    }
}

/// A labelled `<select>` of (value, label) options, with its server messages.
#[component]
pub fn SelectField(
    label: &'static str,
    name: &'static str,
    #[prop(optional)] prefix: Option<&'static str>,
    options: Vec<(String, String)>,
    #[prop(optional, into)] selected: Option<String>,
    #[prop(optional)] empty_label: Option<&'static str>,
    #[prop(into)] errors: Signal<Vec<String>>,
) -> impl IntoView {
    let id = format!("field-{name}");
    let err_id = format!("{id}-error");
    let input_name = match prefix {
        Some(p) => format!("{p}[{name}]"),
        None => name.to_owned(),
    };
    let selected = selected.unwrap_or_default();
    view! {
        <div class="field" class:field-invalid=move || !errors.get().is_empty()>
            <label for=id.clone()>{label}</label>
            <select id=id.clone() name=input_name aria-describedby=err_id.clone()>
                {empty_label.map(|l| view! { <option value="">{l}</option> })}
                {options.into_iter().map(|(value, text)| {
                    let is_selected = value == selected;
                    view! { <option value=value selected=is_selected>{text}</option> }
                }).collect_view()}
            </select>
            <Show when=move || !errors.get().is_empty()>
                <ul class="field-errors" id=err_id.clone()>
                    {move || errors.get().into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}
                </ul>
            </Show>
        </div>
    }
}

/// A checkbox with its label and server messages.
#[component]
pub fn CheckField(
    label: &'static str,
    name: &'static str,
    #[prop(optional)] prefix: Option<&'static str>,
    #[prop(default = false)] checked: bool,
    #[prop(into)] errors: Signal<Vec<String>>,
) -> impl IntoView {
    let id = format!("field-{name}");
    let input_name = match prefix {
        Some(p) => format!("{p}[{name}]"),
        None => name.to_owned(),
    };
    view! {
        <div class="field field-check" class:field-invalid=move || !errors.get().is_empty()>
            <input type="checkbox" id=id.clone() name=input_name checked=checked/>
            <label for=id.clone()>{label}</label>
            <Show when=move || !errors.get().is_empty()>
                <ul class="field-errors">
                    {move || errors.get().into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}
                </ul>
            </Show>
        </div>
    }
}

/// A labelled `<textarea>` with its server messages (for prose: comments, addenda, notes).
#[component]
pub fn TextAreaField(
    label: &'static str,
    name: &'static str,
    /// the element id (several text areas can share a name on one page)
    #[prop(into)]
    id: String,
    #[prop(default = 3)] rows: u32,
    #[prop(into)] errors: Signal<Vec<String>>,
) -> impl IntoView {
    view! {
        <div class="field" class:field-invalid=move || !errors.get().is_empty()>
            <label for=id.clone()>{label}</label>
            <textarea id=id name=name rows=rows></textarea>
            {move || errors.get().first().cloned().map(|m| view! { <p class="field-errors">{m}</p> })}
        </div>
    }
}
