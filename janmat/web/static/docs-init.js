// Starts Swagger UI (vendored by the swagger-ui-bundle package) on the app's own OpenAPI document; kept out of
// the HTML so the page runs under a Content-Security-Policy without inline script.
"use strict";
window.addEventListener("load", () => {
  const root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({ url: root.dataset.openapi, dom_id: "#swagger-ui", deepLinking: true });
});
