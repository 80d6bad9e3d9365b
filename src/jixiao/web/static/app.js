// jixiao local page: a "处理中" state on submit (button disabled), and the limits checked before sending.
(function () {
  "use strict";
  function busy(form) { return form.querySelector(".busy"); }
  document.addEventListener("submit", function (e) {
    var form = e.target;
    var btn = form.querySelector("button[type=submit], button:not([type])");
    var note = busy(form);
    if (btn && btn.disabled) { e.preventDefault(); return; }
    var maxFiles = parseInt(form.getAttribute("data-max-files") || "0", 10);
    var maxMb = parseInt(form.getAttribute("data-max-mb") || "0", 10);
    var count = 0, bytes = 0;
    Array.prototype.forEach.call(form.querySelectorAll("input[type=file]"), function (input) {
      Array.prototype.forEach.call(input.files || [], function (f) { count += 1; bytes += f.size; });
    });
    var problem = "";
    if (maxFiles && count > maxFiles) {
      problem = "一次最多上传 " + maxFiles + " 个文件，您选择了 " + count + " 个。请分批上传。";
    } else if (maxMb && bytes > maxMb * 1024 * 1024) {
      problem = "所选文件合计 " + (bytes / 1048576).toFixed(1) + " MB，超过了上限 " + maxMb + " MB。";
    }
    if (problem) {
      e.preventDefault();
      if (note) { note.textContent = problem; note.className = "busy problem"; }
      return;
    }
    if (btn) {
      btn.setAttribute("data-label", btn.textContent);
      btn.textContent = "处理中…";
      btn.disabled = true;
      btn.setAttribute("aria-busy", "true");
    }
    if (note && form.method.toLowerCase() === "post") {
      note.textContent = "处理中，请稍候（文件多时需要一些时间）……";
      note.className = "busy working";
    }
  });
  // Choosing an own framework file switches the dropdown to it, visibly (the server still refuses a
  // file sent with a built-in framework chosen, so the two are never mixed silently).
  var own = document.getElementById("framework_file");
  var select = document.getElementById("framework");
  if (own && select) {
    own.addEventListener("change", function () {
      if (own.files && own.files.length) { select.value = "__file__"; }
    });
  }
  // Back to a page kept in the browser's memory: make its buttons usable again.
  window.addEventListener("pageshow", function () {
    Array.prototype.forEach.call(document.querySelectorAll("button[data-label]"), function (btn) {
      btn.textContent = btn.getAttribute("data-label");
      btn.disabled = false;
      btn.removeAttribute("aria-busy");
    });
    Array.prototype.forEach.call(document.querySelectorAll(".busy"), function (n) { n.textContent = ""; });
  });
})();
