"""StreamField blocks shared by help pages (and later workshop pages)."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock


class FaqItemBlock(blocks.StructBlock):
    """One question and its answer, shown as an accordion item (<details>)."""

    question = blocks.CharBlock(label=_("pregunta"), max_length=250)
    answer = blocks.RichTextBlock(label=_("respuesta"), features=["bold", "italic", "link", "ol", "ul"])

    class Meta:
        icon = "help"
        label = _("Pregunta frecuente")
        template = "cms_content/blocks/faq_item.html"
        description = _("Una pregunta con su respuesta desplegable.")
        preview_value = {"question": "¿Puedo reportar sin dar mi nombre?", "answer": "<p>Sí.</p>"}


class StepBlock(blocks.StructBlock):
    """One step of a step-by-step guide, optionally with a picture."""

    title = blocks.CharBlock(label=_("título del paso"), max_length=150)
    text = blocks.TextBlock(label=_("texto"))
    image = ImageChooserBlock(label=_("imagen"), required=False)

    class Meta:
        icon = "list-ol"
        label = _("Paso")
        template = "cms_content/blocks/step.html"
        description = _("Un paso numerado de una guía.")
        preview_value = {"title": "Elija la categoría", "text": "Toque el dibujo que corresponde."}


class EmergencyNumbersBlock(blocks.StaticBlock):
    """The emergency numbers of the actor directory, always current (nothing to type)."""

    class Meta:
        icon = "warning"
        label = _("Números de emergencia")
        admin_text = _("Muestra los números de emergencia del directorio de actores.")
        template = "cms_content/blocks/emergency_numbers.html"
        description = _("Lista de números de emergencia del directorio.")


class BodyBlock(blocks.StreamBlock):
    """The body of help pages: text, headings, FAQ, steps, emergency numbers."""

    heading = blocks.CharBlock(
        label=_("subtítulo"), form_classname="title", template="cms_content/blocks/heading.html"
    )
    paragraph = blocks.RichTextBlock(label=_("texto"), features=["bold", "italic", "link", "ol", "ul"])
    faq = blocks.ListBlock(
        FaqItemBlock(), label=_("preguntas frecuentes"), template="cms_content/blocks/faq.html"
    )
    steps = blocks.ListBlock(StepBlock(), label=_("paso a paso"), template="cms_content/blocks/steps.html")
    emergency_numbers = EmergencyNumbersBlock()

    class Meta:
        block_counts = {}
