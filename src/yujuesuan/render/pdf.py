def render_pdf(html, allowed_dirs, fonts_css=None):
    raise NotImplementedError
