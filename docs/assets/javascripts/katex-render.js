// Typeset the math that pymdownx.arithmatex left as \( … \) and \[ … \], on every page
// load and after every instant navigation (Material's document$ observable).
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
    ignoredClasses: ["highlight"],
  })
  // Notebook pages (mkdocs-jupyter) keep Jupyter's $…$ and $$…$$ as text in their Markdown cells.
  body.querySelectorAll(".jupyter-wrapper .jp-RenderedMarkdown").forEach((cell) => {
    renderMathInElement(cell, {
      delimiters: [
        { left: "$$", right: "$$", display: true },
        { left: "$", right: "$", display: false },
      ],
    })
  })
})
