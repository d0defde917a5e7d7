// Tells GOV.UK Frontend's styles that JavaScript is on, before the page is drawn (loaded, not deferred, at the top
// of <body>). A file rather than an inline line: the Content Security Policy allows no inline script at all.
document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');
