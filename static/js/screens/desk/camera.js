// The desk's camera (the button «Cámara»): the laptop's or phone's camera reads ticket QR codes
// with jsQR (static/vendor/jsqr/, loaded only when the camera opens), five frames a second.
import { t } from "../../shared/i18n.js";

let els, onCode, isBusy, jsqrUrl; // set by mountCamera()
let stream = null;
let scanTimer = null;
let lastCode = { text: "", at: 0 };

/**
 * The camera button of the desk: ``elements`` holds the camera's elements (camera, cameraLabel,
 * cameraPanel, video, cameraStatus); ``onCode(text)`` gets each new ticket read; nothing is
 * read while ``busy()``. jsQR (``jsqrUrl``) is loaded the first time the camera opens.
 */
export function mountCamera(elements, { url, code, busy }) {
  els = elements;
  jsqrUrl = url;
  onCode = code;
  isBusy = busy;
}

/** Open the camera, or close it when open. */
export function toggleCamera() {
  if (stream) stopCamera();
  else startCamera();
}

function loadScript(src) {
  return new Promise((resolve, reject) => {
    if (window.jsQR) return resolve();
    const script = document.createElement("script");
    script.src = src;
    script.onload = () => resolve();
    script.onerror = () => reject(new Error(t("no se pudo cargar el lector de QR")));
    document.head.append(script);
  });
}

async function startCamera() {
  els.cameraPanel.hidden = false;
  els.cameraStatus.textContent = t("Abriendo la cámara…");
  try {
    await loadScript(jsqrUrl);
    stream = await navigator.mediaDevices.getUserMedia({
      video: { facingMode: "environment", width: { ideal: 1280 }, height: { ideal: 720 } },
      audio: false,
    });
  } catch (error) {
    els.cameraStatus.textContent = t("No se pudo abrir la cámara ({reason}). Use el escáner o la búsqueda.", {
      reason: error.message || error.name,
    });
    stream = null;
    return;
  }
  els.video.srcObject = stream;
  await els.video.play().catch(() => {});
  els.camera.setAttribute("aria-pressed", "true");
  els.cameraLabel.textContent = t("Cerrar cámara");
  els.cameraStatus.textContent = t("Acerque el QR del tiquete a la cámara.");
  const canvas = document.createElement("canvas");
  const context = canvas.getContext("2d", { willReadFrequently: true });
  scanTimer = setInterval(() => {
    const { videoWidth: w, videoHeight: h } = els.video;
    if (!w || !h || isBusy()) return;
    const scale = Math.min(1, 640 / w); // smaller frames decode fast on old laptops
    canvas.width = Math.round(w * scale);
    canvas.height = Math.round(h * scale);
    context.drawImage(els.video, 0, 0, canvas.width, canvas.height);
    const image = context.getImageData(0, 0, canvas.width, canvas.height);
    const code = window.jsQR(image.data, image.width, image.height, {
      inversionAttempts: "dontInvert",
    });
    if (!code || !code.data) return;
    const now = Date.now();
    if (code.data === lastCode.text && now - lastCode.at < 4000) return; // same ticket held up
    lastCode = { text: code.data, at: now };
    onCode(code.data);
  }, 200);
}

function stopCamera() {
  clearInterval(scanTimer);
  scanTimer = null;
  stream?.getTracks().forEach((track) => track.stop());
  stream = null;
  els.video.srcObject = null;
  els.cameraPanel.hidden = true;
  els.camera.setAttribute("aria-pressed", "false");
  els.cameraLabel.textContent = t("Cámara");
}
