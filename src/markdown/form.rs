//! Form blocks: a fenced ```` ```form ```` block whose body is YAML describing fields, rendered
//! as labelled form controls on screen and ruled lines in print.
//!
//! (Placeholder until the forms work lands: renders the YAML as a preformatted block.)

/// A problem inside a form block; `line` is 1-based within the block's YAML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormError {
    pub line: usize,
    pub message: String,
    pub hint: Option<String>,
}

/// Where a form block sits, so ids are unique on its page.
#[derive(Debug, Clone, Copy)]
pub struct FormContext {
    /// 0-based index of this form block on its page.
    pub index: usize,
}

/// Render a form block's YAML to HTML, or every problem found in it.
pub fn render(yaml: &str, _ctx: FormContext) -> Result<String, Vec<FormError>> {
    Ok(format!(
        "<pre class=\"form-source\">{}</pre>",
        crate::html::escape(yaml)
    ))
}
