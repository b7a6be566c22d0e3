// Camera scanning for the checkpoint page: the rear camera's frames go through jsQR (vendored,
// loaded as a classic script that defines window.jsQR) until a pass text is found. Needs a
// secure context (HTTPS or localhost); typed or pasted entry works without it.

export function cameraAvailable() {
  return Boolean(window.isSecureContext && navigator.mediaDevices && navigator.mediaDevices.getUserMedia && window.jsQR);
}

export class Scanner {
  constructor(video, onText) {
    this.video = video;
    this.onText = onText;
    this.canvas = document.createElement("canvas");
    this.stream = null;
  }

  async start() {
    this.stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
    this.video.srcObject = this.stream;
    this.video.setAttribute("playsinline", "");
    await this.video.play();
    requestAnimationFrame(() => this.tick());
  }

  stop() {
    if (this.stream) this.stream.getTracks().forEach((track) => track.stop());
    this.stream = null;
    this.video.srcObject = null;
  }

  tick() {
    if (!this.stream) return;
    const { videoWidth: width, videoHeight: height } = this.video;
    if (width && height) {
      this.canvas.width = width;
      this.canvas.height = height;
      const context = this.canvas.getContext("2d", { willReadFrequently: true });
      context.drawImage(this.video, 0, 0, width, height);
      const code = window.jsQR(context.getImageData(0, 0, width, height).data, width, height, {
        inversionAttempts: "dontInvert",
      });
      if (code && code.data.startsWith("XC1:")) {
        this.stop();
        this.onText(code.data);
        return;
      }
    }
    requestAnimationFrame(() => this.tick());
  }
}

// Reads the QR code of an <img> (used by the tests, and by staff to check a printed pass's image).
export function decodeImage(image) {
  const canvas = document.createElement("canvas");
  canvas.width = image.naturalWidth;
  canvas.height = image.naturalHeight;
  const context = canvas.getContext("2d");
  context.drawImage(image, 0, 0);
  const code = window.jsQR(context.getImageData(0, 0, canvas.width, canvas.height).data, canvas.width, canvas.height);
  return code ? code.data : null;
}
