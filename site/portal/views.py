"""Citizen site views: thin, they call selectors and render."""

from django.shortcuts import render

from cms_content.selectors import section_list


def home(request):
    """The citizen home: big buttons to report, follow a report, get help; the emergency numbers."""
    return render(request, "portal/home.html", {"sections": section_list()})
