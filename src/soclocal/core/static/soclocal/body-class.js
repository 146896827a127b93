// Tells GOV.UK Frontend's styles that JavaScript is running (an external file: no inline scripts).
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
