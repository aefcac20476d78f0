// A Gaussian-process emulator of one simulated indicator over the unit cube of the free
// parameters: a linear mean (ordinary least squares) plus a zero-mean process with a
// squared-exponential kernel, one length scale per parameter, and a known noise variance per
// training point (the simulated mean's own variance over its replications). The signal variance
// and length scales maximise the marginal likelihood (NLopt Sbplx on their logarithms, from a
// fixed start: deterministic). docs/calibration.md explains the choices.
#pragma once

#include <memory>
#include <vector>

namespace cmasim::calibrate {

/// Training data: points in [0, 1]^d, the simulated mean at each and its variance.
struct TrainingSet {
    std::vector<std::vector<double>> x;
    std::vector<double> y;
    std::vector<double> noise;  ///< variance of each y (sample variance / replications)
};

/// The emulator's prediction at a point: the mean and the variance of the emulated mean (the
/// emulator's own uncertainty, without the simulation noise).
struct Prediction {
    double mean = 0;
    double variance = 0;
};

/// Leave-one-out check of a fitted emulator: each training point predicted from the others,
/// standardised by the predictive sd (emulator + noise). A good emulator has few beyond +-3.
struct LeaveOneOut {
    std::vector<double> standardized;  ///< per training point
    double rms = 0;                    ///< root mean square of the standardised errors
    int beyond_3 = 0;                  ///< how many lie beyond +-3
};

class Emulator {
  public:
    /// Fits to `data` (at least 2 points). Throws std::invalid_argument on an empty or ragged set.
    explicit Emulator(const TrainingSet& data);
    Emulator(const Emulator&) = delete;
    Emulator& operator=(const Emulator&) = delete;
    Emulator(Emulator&&) noexcept;
    Emulator& operator=(Emulator&&) noexcept;
    ~Emulator();

    Prediction predict(const std::vector<double>& x) const;
    LeaveOneOut leave_one_out() const;
    /// Fitted length scales (unit-cube units; long = the output hardly depends on it).
    const std::vector<double>& length_scales() const;
    double signal_variance() const;

  private:
    struct Fit;
    std::unique_ptr<Fit> fit_;
};

}  // namespace cmasim::calibrate
