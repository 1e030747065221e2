// Mounts Scalar's API reference on the copy of /openapi.json that the docs build wrote beside this
// page. Nothing leaves the machine: no web fonts, no telemetry, no AI agent, no request proxy.
/* global Scalar */
const mount = document.getElementById('waymark-api');
fetch('./openapi.json')
  .then((res) => {
    if (!res.ok) throw new Error(`openapi.json answered ${res.status}`);
    return res.json();
  })
  .then((doc) => {
    Scalar.createApiReference(mount, {
      content: doc,
      withDefaultFonts: false,
      telemetry: false,
      agent: { disabled: true },
      showDeveloperTools: 'never',
      metaData: { title: 'HTTP API explorer | Waymark' },
    });
  })
  .catch((err) => {
    mount.textContent = `The API description could not be loaded (${err.message}).`;
  });
