#pragma once

#include "engine/sessiontypes.h"

#include <functional>
#include <memory>
#include <optional>

class QAbstractButton;
class QComboBox;
class QObject;

namespace sockscope::core {
class ResponderRules;
}

namespace sockscope::ui {

class RuleEditor;

// The reply modes a TCP pane offers (the built-in services as presets, then the pane's
// responder rules), one list for the server and the client panes.
void addReplyModes(QComboBox *box);

// What a pane answers with: the mode its box shows and, in Rules mode, its rules ready
// to serve. nullopt when Rules is chosen and the rules are not valid (the editor names
// what is wrong); the rule editor then keeps showing the hits of what still serves.
struct ServiceChoice
{
    core::ServiceMode mode = core::ServiceMode::None;
    std::shared_ptr<core::ResponderRules> rules;
};
std::optional<ServiceChoice> chosenService(const QComboBox *box, RuleEditor *rules);

// A pane's reply controls, wired once: choosing Rules unfolds the rules (`rulesToggle`),
// and `apply` runs on every mode change and on every valid edit while Rules is chosen.
void followReplyControls(QComboBox *box, QAbstractButton *rulesToggle, RuleEditor *rules, QObject *context,
                         const std::function<void()> &apply);

} // namespace sockscope::ui
