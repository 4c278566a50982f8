// GOV.UK Frontend's "JavaScript is on" classes, set before the page is drawn. A file, not an
// inline script: the Content-Security-Policy allows scripts from Tandem's own origin only.
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
