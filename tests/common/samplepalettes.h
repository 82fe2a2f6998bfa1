#pragma once

// Palettes of common desktops, light and dark, to check ui/theme against (tst_theme) and
// to take screenshots in (SOCKSCOPE_SHOT_DARK=1 for the shoot_* tools). Colours are the
// desktops' own, written here because offscreen and Xvfb have no platform theme to ask.

#include <QPalette>
#include <QString>

#include <utility>

namespace sockscope::tests {

struct SamplePalette
{
    const char *name;
    QRgb window, windowText, base, alternateBase, text, button, highlight, highlightedText;
};

inline constexpr SamplePalette kSamplePalettes[] = {
    // name            window    windowText base      altBase   text      button    highlight highlightedText
    {"fusion-light", 0xefefef, 0x000000, 0xffffff, 0xf7f7f7, 0x000000, 0xefefef, 0x308cc6, 0xffffff},
    {"breeze-light", 0xeff0f1, 0x232629, 0xfcfcfc, 0xeff0f1, 0x232629, 0xeff0f1, 0x3daee9, 0xfcfcfc},
    {"fusion-dark", 0x353535, 0xffffff, 0x2a2a2a, 0x424242, 0xffffff, 0x353535, 0x2a82da, 0xffffff},
    {"breeze-dark", 0x2a2e32, 0xfcfcfc, 0x1b1e20, 0x232629, 0xfcfcfc, 0x31363b, 0x3daee9, 0xfcfcfc},
    {"black", 0x000000, 0xe0e0e0, 0x000000, 0x101010, 0xe0e0e0, 0x202020, 0x0060c0, 0xffffff},
};

inline QPalette makePalette(const SamplePalette &s)
{
    const QColor text = QColor::fromRgb(s.text);
    QPalette pal(QColor::fromRgb(s.windowText), QColor::fromRgb(s.button), QColor::fromRgb(s.button).lighter(130),
                 QColor::fromRgb(s.button).darker(150), QColor::fromRgb(s.button).darker(120), text,
                 QColor::fromRgb(s.text), QColor::fromRgb(s.base), QColor::fromRgb(s.window));
    pal.setColor(QPalette::AlternateBase, QColor::fromRgb(s.alternateBase));
    pal.setColor(QPalette::ButtonText, QColor::fromRgb(s.windowText));
    pal.setColor(QPalette::Highlight, QColor::fromRgb(s.highlight));
    pal.setColor(QPalette::HighlightedText, QColor::fromRgb(s.highlightedText));
    pal.setColor(QPalette::ToolTipBase, QColor::fromRgb(s.base));
    pal.setColor(QPalette::ToolTipText, text);
    QColor placeholder = text;
    placeholder.setAlpha(128);
    pal.setColor(QPalette::PlaceholderText, placeholder);
    return pal;
}

inline QPalette samplePalette(const char *name)
{
    for (const SamplePalette &s : kSamplePalettes) {
        if (QString::fromLatin1(s.name) == QString::fromLatin1(name))
            return makePalette(s);
    }
    return {};
}

} // namespace sockscope::tests
