// A fallback: the build typesets math with KaTeX already (site_hooks/katex_ssr.py). What is left —
// math the build could not typeset under `mkdocs serve`, a site built with GCNN_NOTES_KATEX_SSR=0,
// and the $…$ of notebook pages — is typeset here, on every page load and after every instant
// navigation (Material's document$ observable). KaTeX's output (class "katex") is skipped: its
// MathML annotation holds the TeX, which must not be typeset a second time.
const katexIgnoredClasses = ["highlight", "katex"]
document$.subscribe(({ body }) => {
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
  // Notebook pages (mkdocs-jupyter) keep Jupyter's $…$ and $$…$$ as text in their Markdown cells.
  body.querySelectorAll(".jupyter-wrapper .jp-RenderedMarkdown").forEach((cell) => {
    renderMathInElement(cell, {
      delimiters: [
        { left: "$$", right: "$$", display: true },
        { left: "$", right: "$", display: false },
      ],
      ignoredClasses: katexIgnoredClasses,
    })
  })
})
