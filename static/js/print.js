// Print buttons: wait for every image (QR codes) before opening the print dialog.
for (const button of document.querySelectorAll("[data-print]")) {
  button.addEventListener("click", async () => {
    await Promise.all([...document.images].map((image) => image.decode().catch(() => null)));
    window.print();
  });
}
