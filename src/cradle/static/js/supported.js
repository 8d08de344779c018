// Replaces the inline snippet at the top of <body> in NHS.UK frontend's page template, so the
// page works under a Content-Security-Policy without 'unsafe-inline'. Load it as a classic,
// synchronous script as the first child of <body>: the frontend's CSS and initAll() check these
// classes on document.body. Browsers that understand type="module" are the ones that will run
// init.js, so only they are marked as supported.
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " nhsuk-frontend-supported" : "");
