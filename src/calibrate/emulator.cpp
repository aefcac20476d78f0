#include "cmasim/calibrate/emulator.h"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "cmasim/sim/detmath.h"
#include "minimize.h"

namespace cmasim::calibrate {

namespace {

// exp and log are the project's own (sim/detmath.h), not libm's: libm picks FMA or AVX2 code by
// CPU, and a different last bit in a kernel value can move the hyperparameter search, so the
// calibration's files would differ between machines.
using Eigen::MatrixXd;
using Eigen::VectorXd;

/// Length scales searched in [0.02, 20] unit-cube widths: shorter would interpolate noise,
/// longer is as flat as an input that does not matter.
constexpr double kShortest = 0.02;
constexpr double kLongest = 20;
constexpr double kStartLength = 0.3;
/// Added to the diagonal relative to the signal variance, so that K stays positive definite.
constexpr double kJitter = 1e-8;

MatrixXd matrix_of(const std::vector<std::vector<double>>& rows) {
    MatrixXd m(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(rows[0].size()));
    for (Eigen::Index i = 0; i < m.rows(); ++i) {
        const auto& row = rows[static_cast<std::size_t>(i)];
        if (static_cast<Eigen::Index>(row.size()) != m.cols())
            throw std::invalid_argument("emulator: training points of different dimensions");
        for (Eigen::Index j = 0; j < m.cols(); ++j) m(i, j) = row[static_cast<std::size_t>(j)];
    }
    return m;
}

/// The linear mean's regressors: 1, x_1..x_d (only 1 when there are too few points for more).
VectorXd regressors(const VectorXd& x, bool linear) {
    VectorXd h(linear ? x.size() + 1 : 1);
    h(0) = 1;
    if (linear) h.tail(x.size()) = x;
    return h;
}

double kernel(const VectorXd& a, const VectorXd& b, double variance, const VectorXd& length) {
    return variance * sim::det::exp(-0.5 * ((a - b).array() / length.array()).square().sum());
}

}  // namespace

struct Emulator::Fit {
    MatrixXd x;
    VectorXd noise;
    bool linear = false;
    VectorXd beta;
    VectorXd residual;
    double variance = 0;
    VectorXd length;
    std::vector<double> length_list;
    Eigen::LLT<MatrixXd> chol;
    VectorXd alpha;  ///< K^-1 residual

    MatrixXd covariance(double v, const VectorXd& l) const {
        const Eigen::Index n = x.rows();
        MatrixXd k(n, n);
        for (Eigen::Index i = 0; i < n; ++i) {
            for (Eigen::Index j = 0; j <= i; ++j) {
                k(i, j) = k(j, i) = kernel(x.row(i).transpose(), x.row(j).transpose(), v, l);
            }
            k(i, i) += noise(i) + kJitter * v;
        }
        return k;
    }

    /// Negative log marginal likelihood of the residuals (up to a constant) at log-parameters.
    double nll(const std::vector<double>& theta) const {
        const double v = sim::det::exp(theta[0]);
        VectorXd l(x.cols());
        for (Eigen::Index j = 0; j < l.size(); ++j)
            l(j) = sim::det::exp(theta[static_cast<std::size_t>(j) + 1]);
        const Eigen::LLT<MatrixXd> c(covariance(v, l));
        if (c.info() != Eigen::Success) return 1e300;
        const VectorXd a = c.solve(residual);
        const double log_det = 2 * c.matrixLLT().diagonal().array().log().sum();
        return 0.5 * residual.dot(a) + 0.5 * log_det;
    }

    void regress(const VectorXd& y) {
        const Eigen::Index n = x.rows();
        linear = n >= x.cols() + 3;
        MatrixXd h(n, linear ? x.cols() + 1 : 1);
        for (Eigen::Index i = 0; i < n; ++i)
            h.row(i) = regressors(x.row(i).transpose(), linear).transpose();
        beta = h.colPivHouseholderQr().solve(y);
        residual = y - h * beta;
    }

    void optimise_hyperparameters() {
        const double spread = residual.squaredNorm() / static_cast<double>(residual.size());
        const double floor = 1e-12 + noise.mean();
        const auto d = static_cast<std::size_t>(x.cols());
        std::vector<double> start(d + 1, sim::det::log(kStartLength));
        start[0] = sim::det::log(std::max(spread, floor));
        detail::Box box{std::vector<double>(d + 1, sim::det::log(kShortest)),
                        std::vector<double>(d + 1, sim::det::log(kLongest)),
                        std::vector<double>(d + 1, 0.5)};
        box.lower[0] = sim::det::log(floor * 1e-4);
        box.upper[0] = sim::det::log(std::max(spread, floor) * 100);
        start[0] = std::clamp(start[0], box.lower[0], box.upper[0]);
        const int budget = std::min(400, 60 * static_cast<int>(d + 1));
        const auto best = detail::minimize([this](const auto& t) { return nll(t); }, start, box,
                                           detail::Minimizer::Sbplx, budget, 1e-4);
        variance = sim::det::exp(best.x[0]);
        length.resize(x.cols());
        for (std::size_t j = 0; j < d; ++j) {
            length(static_cast<Eigen::Index>(j)) = sim::det::exp(best.x[j + 1]);
            length_list.push_back(length(static_cast<Eigen::Index>(j)));
        }
    }
};

Emulator::Emulator(const TrainingSet& data) : fit_(std::make_unique<Fit>()) {
    if (data.x.size() < 2 || data.y.size() != data.x.size() || data.noise.size() != data.x.size())
        throw std::invalid_argument("emulator: needs at least 2 training points with y and noise");
    Fit& f = *fit_;
    f.x = matrix_of(data.x);
    f.noise =
        Eigen::Map<const VectorXd>(data.noise.data(), static_cast<Eigen::Index>(data.noise.size()));
    f.regress(Eigen::Map<const VectorXd>(data.y.data(), static_cast<Eigen::Index>(data.y.size())));
    f.optimise_hyperparameters();
    f.chol.compute(f.covariance(f.variance, f.length));
    f.alpha = f.chol.solve(f.residual);
}

Emulator::Emulator(Emulator&&) noexcept = default;
Emulator& Emulator::operator=(Emulator&&) noexcept = default;
Emulator::~Emulator() = default;

Prediction Emulator::predict(const std::vector<double>& x) const {
    const Fit& f = *fit_;
    const VectorXd at = Eigen::Map<const VectorXd>(x.data(), static_cast<Eigen::Index>(x.size()));
    VectorXd k(f.x.rows());
    for (Eigen::Index i = 0; i < k.size(); ++i)
        k(i) = kernel(at, f.x.row(i).transpose(), f.variance, f.length);
    Prediction p;
    p.mean = regressors(at, f.linear).dot(f.beta) + k.dot(f.alpha);
    const VectorXd v = f.chol.matrixL().solve(k);
    p.variance = std::max(0.0, f.variance - v.squaredNorm());
    return p;
}

LeaveOneOut Emulator::leave_one_out() const {
    const Fit& f = *fit_;
    const MatrixXd inverse = f.chol.solve(MatrixXd::Identity(f.x.rows(), f.x.rows()));
    LeaveOneOut out;
    double sum = 0;
    for (Eigen::Index i = 0; i < f.x.rows(); ++i) {
        // The closed form of a Gaussian process's leave-one-out residual, standardised:
        // (y_i - mean_-i) / sd_-i = alpha_i / sqrt((K^-1)_ii).
        const double z = f.alpha(i) / std::sqrt(inverse(i, i));
        out.standardized.push_back(z);
        sum += z * z;
        out.beyond_3 += std::abs(z) > 3 ? 1 : 0;
    }
    out.rms = std::sqrt(sum / static_cast<double>(f.x.rows()));
    return out;
}

const std::vector<double>& Emulator::length_scales() const {
    return fit_->length_list;
}

double Emulator::signal_variance() const {
    return fit_->variance;
}

}  // namespace cmasim::calibrate
