"""Renders Django form fields with GOV.UK Frontend markup (label, hint, error, input)."""

from django import forms, template

register = template.Library()

BASE_CLASS = {
    forms.Select: "govuk-select", forms.Textarea: "govuk-textarea",
    forms.PasswordInput: "govuk-input govuk-input--width-20",
    forms.NumberInput: "govuk-input govuk-input--width-10",
    forms.FileInput: "govuk-file-upload", forms.ClearableFileInput: "govuk-file-upload",
}


@register.inclusion_tag("core/field.html")
def field(bound, hint="", label_class="govuk-label", autocomplete=""):
    widget = bound.field.widget
    error_id = f"{bound.auto_id}-error"
    hint_id = f"{bound.auto_id}-hint"
    described = " ".join(i for i, on in ((hint_id, hint or bound.help_text),
                                           (error_id, bound.errors)) if on)
    if isinstance(widget, (forms.CheckboxSelectMultiple, forms.RadioSelect)):
        kind = "checkboxes" if isinstance(widget, forms.CheckboxSelectMultiple) else "radios"
        value = bound.value()
        chosen = {str(v) for v in (value if isinstance(value, (list, tuple)) else [value])
                  if v is not None}
        options = [
            {"id": f"{bound.auto_id}_{i}", "value": str(v), "label": str(lbl),
             "checked": str(v) in chosen}
            for i, (v, lbl) in enumerate(bound.field.choices) if str(v) != ""
        ]
        return {"bound": bound, "kind": kind, "options": options, "hint": hint,
                "hint_id": hint_id, "error_id": error_id, "described": described}
    if isinstance(widget, forms.CheckboxInput):
        return {"bound": bound, "kind": "checkbox", "hint": hint, "hint_id": hint_id,
                "error_id": error_id, "described": described,
                "html": bound.as_widget(attrs={"class": "govuk-checkboxes__input",
                                               **({"aria-describedby": described} if described else {})})}
    css = BASE_CLASS.get(type(widget), "govuk-input")
    if bound.errors:
        first = css.split(" ")[0]
        css += f" {first}--error"
    attrs = {"class": css}
    if described:
        attrs["aria-describedby"] = described
    if autocomplete:
        attrs["autocomplete"] = autocomplete
    return {"bound": bound, "kind": "input", "hint": hint, "hint_id": hint_id,
            "error_id": error_id, "label_class": label_class, "described": described,
            "html": bound.as_widget(attrs=attrs)}


@register.inclusion_tag("core/error_summary.html")
def error_summary(form):
    items = []
    for name, errors in form.errors.items():
        target = f"#{form[name].auto_id}" if name in form.fields else ""
        if name in form.fields and isinstance(
            form.fields[name].widget, (forms.CheckboxSelectMultiple, forms.RadioSelect)
        ):
            target = f"#{form[name].auto_id}_0"
        for e in errors:
            items.append({"href": target, "text": e})
    return {"items": items}
