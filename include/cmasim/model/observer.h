// Who listens to the model. The engine emits one event (events.h) per state change; metrics,
// traces and writers subscribe. The engine itself never counts anything for reporting.
#pragma once

#include <vector>

#include "cmasim/model/events.h"

namespace cmasim::model {

namespace detail {

/// One virtual `on(const E&)` per event type of the list, each a no-op by default. A chain of
/// single inheritance: one vtable, and a call costs what any virtual call costs.
template <class List>
class Handlers;

template <class E>
class Handlers<EventList<E>> {
  public:
    virtual ~Handlers() = default;
    virtual void on(const E&) {}
};

template <class E, class... Rest>
class Handlers<EventList<E, Rest...>> : public Handlers<EventList<Rest...>> {
  public:
    using Handlers<EventList<Rest...>>::on;
    virtual void on(const E&) {}
};

template <class Derived, class List, class Base>
class RouteEvents;

template <class Derived, class Base>
class RouteEvents<Derived, EventList<>, Base> : public Base {
  public:
    using Base::on;
};

template <class Derived, class E, class... Rest, class Base>
class RouteEvents<Derived, EventList<E, Rest...>, Base>
    : public RouteEvents<Derived, EventList<Rest...>, Base> {
  public:
    using RouteEvents<Derived, EventList<Rest...>, Base>::on;
    void on(const E& e) override { static_cast<Derived&>(*this).handle(e); }
};

}  // namespace detail

/// Override `on(const E&)` for the events you need (add `using ModelObserver::on;` so the
/// others stay visible); the rest are ignored.
class ModelObserver : public detail::Handlers<ModelEvents> {};

/// For observers that treat every event alike (a trace, a ledger): each event goes to
/// Derived::handle(const E&), typically a template with overloads for the events it treats apart.
template <class Derived>
class EveryEvent : public detail::RouteEvents<Derived, ModelEvents, ModelObserver> {};

/// Several observers of one run, notified in the order they were added: the fan-out is this one
/// loop. (The engine calls a single observer directly, so a run with one pays no loop.)
class ObserverList final : public EveryEvent<ObserverList> {
  public:
    ObserverList() = default;
    explicit ObserverList(ModelObserver& first) { add(first); }
    void add(ModelObserver& observer) { list_.push_back(&observer); }
    template <class E>
    void handle(const E& event) {
        for (ModelObserver* o : list_) o->on(event);
    }

  private:
    std::vector<ModelObserver*> list_;
};

}  // namespace cmasim::model
