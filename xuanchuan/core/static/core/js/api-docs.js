/* Starts Swagger UI on /api/docs with the settings the page carries in a JSON block (the
   Content-Security-Policy allows no inline script). Requests made from the page carry the
   CSRF token, as the session-authenticated API asks of unsafe methods. */
(function () {
  "use strict";
  var settings = JSON.parse(document.getElementById("swagger-settings").textContent);
  var csrfToken = document.body.dataset.csrfToken;
  settings.dom_id = "#swagger-ui";
  settings.presets = [window.SwaggerUIBundle.presets.apis];
  if (csrfToken) {
    settings.requestInterceptor = function (request) {
      request.headers["X-CSRFToken"] = csrfToken;
      return request;
    };
  }
  window.ui = window.SwaggerUIBundle(settings);
})();
