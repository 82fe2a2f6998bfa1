#pragma once

// How widget tests reach a pane's parts: by objectName, as a user's tools (and the
// accessibility tree) do, rather than through getters kept for tests; and what "on screen"
// means for a test that needs input or a laid-out window.

#include <QObject>
#include <QWidget>
#include <QWindow>

#include <type_traits>

namespace sockscope::tests {

// The child of `parent` (any depth) of type T named `name`. A missing one stops the test
// with both names: a null pointer would crash it without saying which widget it lacked.
template<typename T>
T *named(const QObject &parent, QStringView name)
{
    if (T *child = parent.findChild<T *>(name.toString()))
        return child;
    qFatal("no %s named \"%s\" under %s \"%s\"", std::remove_pointer_t<T>::staticMetaObject.className(),
           qPrintable(name.toString()), parent.metaObject()->className(), qPrintable(parent.objectName()));
}

// True once the platform shows `w`'s window (offscreen does so at once). A predicate, not a
// wait: QTRY_VERIFY(isExposed(w)) after show() waits for it as long as it takes.
inline bool isExposed(const QWidget &w)
{
    const QWindow *window = w.window()->windowHandle();
    return w.isVisible() && window && window->isExposed();
}

} // namespace sockscope::tests
