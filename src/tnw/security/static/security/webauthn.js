// Security keys and passkeys (WebAuthn) for the forms marked data-webauthn="create" (add a
// key) or data-webauthn="get" (confirm a log-in). The server's options are in data-options;
// the browser's answer goes, as JSON, into the form's hidden "credential" field and the form is
// sent as usual (tnw.security.key_views checks it). A file of this site, no inline script
// (the Content-Security-Policy refuses those) and no CDN.
(function () {
  "use strict";

  function toBytes(text) {
    var base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    while (base64.length % 4) {
      base64 += "=";
    }
    var raw = atob(base64);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) {
      bytes[i] = raw.charCodeAt(i);
    }
    return bytes.buffer;
  }

  function toText(buffer) {
    if (!buffer) {
      return null;
    }
    var bytes = new Uint8Array(buffer);
    var raw = "";
    for (var i = 0; i < bytes.length; i++) {
      raw += String.fromCharCode(bytes[i]);
    }
    return btoa(raw).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function descriptors(list) {
    return (list || []).map(function (item) {
      return { type: item.type, id: toBytes(item.id), transports: item.transports };
    });
  }

  function publicKey(kind, options) {
    options.challenge = toBytes(options.challenge);
    if (kind === "create") {
      options.user.id = toBytes(options.user.id);
      options.excludeCredentials = descriptors(options.excludeCredentials);
    } else {
      options.allowCredentials = descriptors(options.allowCredentials);
    }
    return options;
  }

  function answer(credential) {
    var response = credential.response;
    var out = {
      id: credential.id,
      rawId: toText(credential.rawId),
      type: credential.type,
      authenticatorAttachment: credential.authenticatorAttachment || null,
      clientExtensionResults: credential.getClientExtensionResults(),
      response: { clientDataJSON: toText(response.clientDataJSON) },
    };
    if (response.attestationObject) {
      out.response.attestationObject = toText(response.attestationObject);
      out.response.transports = response.getTransports ? response.getTransports() : [];
    } else {
      out.response.authenticatorData = toText(response.authenticatorData);
      out.response.signature = toText(response.signature);
      out.response.userHandle = toText(response.userHandle);
    }
    return JSON.stringify(out);
  }

  function say(form, text) {
    var status = form.querySelector("[data-webauthn-status]");
    status.textContent = text;
    status.hidden = false;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-webauthn]");
    if (!form) {
      return;
    }
    event.preventDefault();
    if (!window.PublicKeyCredential || !navigator.credentials) {
      say(form, form.dataset.unsupported);
      return;
    }
    var kind = form.dataset.webauthn;
    var options = { publicKey: publicKey(kind, JSON.parse(form.dataset.options)) };
    var ceremony = kind === "create"
      ? navigator.credentials.create(options)
      : navigator.credentials.get(options);
    ceremony.then(function (credential) {
      form.querySelector("input[name=credential]").value = answer(credential);
      form.submit();  // submit() fires no submit event: no second ceremony
    }).catch(function () {
      say(form, form.dataset.failed);
    });
  });
})();
