// The build typesets the math (site_hooks/katex_ssr.py), so a page normally has nothing left to do
// here and KaTeX's scripts are never even fetched. What can be left: math the build could not
// typeset under `mkdocs serve`, a site built with GCNN_NOTES_KATEX_SSR=0, and the $…$ of notebook
// pages (mkdocs-jupyter). Only then are KaTeX and its auto-render loaded (once) and run, on every
// page load and after every instant navigation (Material's document$ observable). KaTeX's output
// (class "katex") is skipped: its MathML annotation holds the TeX, which must not be typeset twice.
const katexBase = new URL("../katex/", document.currentScript.src)
const katexIgnoredClasses = ["highlight", "katex"]
let katexLoaded = null

function loadKatex() {
  const load = (file) => new Promise((resolve, reject) => {
    const script = document.createElement("script")
    script.src = new URL(file, katexBase).href
    script.onload = resolve
    script.onerror = () => reject(new Error(`could not load ${script.src}`))
    document.head.appendChild(script)
  })
  katexLoaded ??= load("katex.min.js").then(() => load("contrib/auto-render.min.js"))
  return katexLoaded
}

function leftToTypeset(body) {
  const raw = [...body.querySelectorAll(".arithmatex")].some((element) => !element.querySelector(".katex"))
  return raw || body.querySelector(".jupyter-wrapper .jp-RenderedMarkdown") !== null
}

function typeset(body) {
  renderMathInElement(body, {
    delimiters: [
      { left: "\\[", right: "\\]", display: true },
      { left: "\\(", right: "\\)", display: false },
      { left: "\\begin{equation}", right: "\\end{equation}", display: true },
      { left: "\\begin{equation*}", right: "\\end{equation*}", display: true },
      { left: "\\begin{align}", right: "\\end{align}", display: true },
      { left: "\\begin{align*}", right: "\\end{align*}", display: true },
      { left: "\\begin{gather}", right: "\\end{gather}", display: true },
      { left: "\\begin{gather*}", right: "\\end{gather*}", display: true },
      { left: "\\begin{multline}", right: "\\end{multline}", display: true },
      { left: "\\begin{multline*}", right: "\\end{multline*}", display: true },
    ],
    ignoredClasses: katexIgnoredClasses,
  })
  // Notebook pages keep Jupyter's $…$ and $$…$$ as text in their Markdown cells.
  body.querySelectorAll(".jupyter-wrapper .jp-RenderedMarkdown").forEach((cell) => {
    renderMathInElement(cell, {
      delimiters: [
        { left: "$$", right: "$$", display: true },
        { left: "$", right: "$", display: false },
      ],
      ignoredClasses: katexIgnoredClasses,
    })
  })
}

document$.subscribe(({ body }) => {
  if (leftToTypeset(body)) {
    loadKatex().then(() => typeset(body))
  }
})
