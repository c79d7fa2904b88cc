// The redirect page of a minimal SMART app: what fhirclient's ready() gives it, one read with the
// token, and a refresh on demand. Names are shown as the records hold them.
function show(id, text) {
  document.getElementById(id).textContent = text;
}

function fail(error) {
  const alert = document.getElementById('error');
  alert.textContent = String(error && error.message ? error.message : error);
  alert.hidden = false;
}

function nameOf(resource) {
  const name = (resource.name || [])[0] || {};
  return [...(name.given || []), name.family].filter(Boolean).join(' ');
}

FHIR.oauth2
  .ready()
  .then(async (client) => {
    show('scope', client.state.tokenResponse.scope);
    show('user', client.user.fhirUser || 'no fhirUser');
    show('patient', client.patient.id ? `${nameOf(await client.patient.read())} (${client.patient.id})` : 'none');
    show('practitioner', nameOf(await client.request('Practitioner/prac-parata')));
    const button = document.getElementById('refresh');
    button.disabled = false;
    button.addEventListener('click', async () => {
      show('status', '');
      const before = client.state.tokenResponse.access_token;
      try {
        await client.refresh();
        // The new access token must work: the read goes out with it.
        await client.request('Practitioner/prac-parata');
        show('status', client.state.tokenResponse.access_token !== before ? 'Token refreshed.' : 'Token unchanged.');
      } catch (error) {
        fail(error);
      }
    });
  })
  .catch(fail);
