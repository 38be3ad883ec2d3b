def render_html(doc, env):
    raise NotImplementedError
