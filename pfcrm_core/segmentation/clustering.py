"""K-means and Gaussian mixture clustering with automatic choice of k, and stability.

K-means
    ``KMeans(n_init=10)`` with a fixed ``random_state``; above
    ``MINIBATCH_THRESHOLD`` clients ``MiniBatchKMeans(n_init=3,
    batch_size=4096)``, so the search over k stays within seconds. The number of
    clusters maximises the mean silhouette over k = 2..10. Above
    ``SILHOUETTE_SAMPLE`` clients the silhouette is computed on a fixed-seed random
    sample of that many clients, because its cost grows with the square of n.
Gaussian mixture
    ``GaussianMixture(covariance_type="diag", reg_covar=0.1)``, the number of
    components minimising BIC over 1..10. One-hot columns are constant inside many
    components, and with the default variance floor of 1e-6 such a column adds an
    unbounded likelihood, so BIC then rewards splitting on categories. The floor of
    0.1 (a tenth of each standardised column's variance) bounds that gain. Diagonal
    rather than full covariances because the full model has d(d+1)/2 parameters
    per component and is near singular on one-hot columns. Above
    ``GMM_SELECTION_SAMPLE`` clients the BIC search runs on a fixed-seed sample and
    the chosen model is then fitted to every client.
Stability
    The clustering is repeated with seeds 0..4 at the chosen k, and the adjusted
    Rand index (ARI) of each pair of runs is reported, with its mean and minimum.
    An ARI of 1 means identical partitions up to the names of the clusters.

Cluster labels are renumbered by size, largest first, so segment ``S1`` is the
largest whatever order the estimator found the clusters in.
"""

from __future__ import annotations

import itertools
import logging
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans, MiniBatchKMeans
from sklearn.metrics import adjusted_rand_score, silhouette_score
from sklearn.mixture import GaussianMixture

from pfcrm_core.segmentation.errors import Note, SegmentationError

logger = logging.getLogger(__name__)

METHODS = ("kmeans", "gmm")
KMEANS_K_RANGE = range(2, 11)
GMM_K_RANGE = range(1, 11)
N_INIT = 10
MINIBATCH_THRESHOLD = 20_000
MINIBATCH_N_INIT = 3
MINIBATCH_BATCH_SIZE = 4096
SILHOUETTE_SAMPLE = 5_000
GMM_SELECTION_SAMPLE = 10_000
COVARIANCE_TYPE = "diag"
REG_COVAR = 0.1
STABILITY_SEEDS = (0, 1, 2, 3, 4)


@dataclass
class ClusterSelection:
    """A fitted clustering and the curve it was chosen from.

    Attributes
    ----------
    method : str
        ``"kmeans"`` or ``"gmm"``.
    k : int
        Number of clusters.
    estimator : KMeans, MiniBatchKMeans or GaussianMixture
        Fitted at ``k`` on every row of the input.
    labels : numpy.ndarray of int
        Cluster of each row, 0 the largest cluster.
    curve : pandas.DataFrame or None
        ``k``, ``silhouette`` and ``inertia`` (k-means) or ``k``, ``bic`` and
        ``aic`` (Gaussian mixture); None when k was given.
    notes : list of Note
        Sampling and estimator choices that affect the result.
    order : numpy.ndarray
        Map from the estimator's label to the size-ordered label.
    """

    method: str
    k: int
    estimator: object
    labels: np.ndarray
    curve: pd.DataFrame | None
    notes: list[Note] = field(default_factory=list)
    order: np.ndarray | None = field(default=None, repr=False)

    def predict(self, X) -> np.ndarray:
        """Return the cluster of each row of ``X``, numbered as ``labels``."""
        raw = self.estimator.predict(np.asarray(X, dtype=float))
        return raw if self.order is None else self.order[raw]


def make_estimator(method: str, k: int, random_state: int, n_samples: int):
    """Return the unfitted estimator of ``method`` with ``k`` clusters.

    Raises
    ------
    SegmentationError
        When ``method`` is not ``"kmeans"`` or ``"gmm"``.
    """
    if method == "kmeans":
        if n_samples > MINIBATCH_THRESHOLD:
            return MiniBatchKMeans(n_clusters=k, n_init=MINIBATCH_N_INIT,
                                   batch_size=MINIBATCH_BATCH_SIZE,
                                   random_state=random_state)
        return KMeans(n_clusters=k, n_init=N_INIT, random_state=random_state)
    if method == "gmm":
        return GaussianMixture(n_components=k, covariance_type=COVARIANCE_TYPE,
                               reg_covar=REG_COVAR, random_state=random_state)
    raise SegmentationError("segmentation.error.unknown_method", method=method,
                            allowed=", ".join(METHODS))


def check_k(k: int, n_samples: int, method: str) -> None:
    """Raise ``SegmentationError`` unless ``k`` clusters fit ``n_samples`` clients."""
    minimum = 1 if method == "gmm" else 2
    if not isinstance(k, (int, np.integer)) or isinstance(k, bool) or k < minimum:
        raise SegmentationError("segmentation.error.bad_k", k=repr(k),
                                minimum=minimum)
    if n_samples <= k:
        raise SegmentationError("segmentation.error.too_few_clients",
                                count=n_samples, k=int(k))


def select_clusters(X: np.ndarray, method: str = "kmeans", *, k: int | None = None,
                    k_range: range | None = None, random_state: int = 42
                    ) -> ClusterSelection:
    """Fit ``method`` at ``k`` clusters, or choose k over ``k_range`` first.

    Parameters
    ----------
    X : array of shape (n_samples, n_features)
        The preprocessed feature matrix.
    method : {"kmeans", "gmm"}
        K-means chosen by silhouette, or Gaussian mixture chosen by BIC.
    k : int, optional
        Number of clusters; default chosen automatically.
    k_range : range, optional
        Candidates for k; default 2..10 (k-means) or 1..10 (Gaussian mixture),
        cut to at most n_samples - 1.
    random_state : int, default 42
        Seed of every estimator and sample.

    Raises
    ------
    SegmentationError
        For an unknown method, a k below the minimum, or fewer clients than k + 1.
    """
    X = np.asarray(X, dtype=float)
    n_samples = X.shape[0]
    make_estimator(method, 2, random_state, n_samples)
    notes = _estimator_notes(method, n_samples)

    curve = None
    if k is None:
        candidates = _candidates(method, k_range, n_samples)
        if method == "kmeans":
            curve = silhouette_curve(X, candidates, random_state)
            k = int(curve.loc[curve["silhouette"].idxmax(), "k"])
        else:
            curve = bic_curve(X, candidates, random_state)
            k = int(curve.loc[curve["bic"].idxmin(), "k"])
        if n_samples > SILHOUETTE_SAMPLE and method == "kmeans":
            notes.append(Note("segmentation.note.silhouette_sample",
                              {"sample": SILHOUETTE_SAMPLE, "count": n_samples}))
        if n_samples > GMM_SELECTION_SAMPLE and method == "gmm":
            notes.append(Note("segmentation.note.bic_sample",
                              {"sample": GMM_SELECTION_SAMPLE, "count": n_samples}))
    check_k(k, n_samples, method)

    estimator = make_estimator(method, k, random_state, n_samples).fit(X)
    raw = estimator.predict(X)
    order = order_by_size(raw, k)
    logger.info("fitted %s with k=%d to %d clients", method, k, n_samples)
    return ClusterSelection(method=method, k=k, estimator=estimator,
                            labels=order[raw], curve=curve, notes=notes, order=order)


def _candidates(method: str, k_range: range | None, n_samples: int) -> list[int]:
    default = KMEANS_K_RANGE if method == "kmeans" else GMM_K_RANGE
    minimum = 2 if method == "kmeans" else 1
    candidates = [k for k in (k_range or default) if minimum <= k < n_samples]
    if not candidates:
        raise SegmentationError("segmentation.error.too_few_clients",
                                count=n_samples, k=min(k_range or default))
    return candidates


def _estimator_notes(method: str, n_samples: int) -> list[Note]:
    if method == "kmeans" and n_samples > MINIBATCH_THRESHOLD:
        return [Note("segmentation.note.minibatch",
                     {"threshold": MINIBATCH_THRESHOLD, "count": n_samples})]
    if method == "gmm":
        return [Note("segmentation.note.covariance_type",
                     {"covariance_type": COVARIANCE_TYPE,
                      "reg_covar": REG_COVAR})]
    return []


def silhouette_curve(X: np.ndarray, candidates, random_state: int) -> pd.DataFrame:
    """Return the mean silhouette and the inertia of k-means for each candidate k.

    Above ``SILHOUETTE_SAMPLE`` rows the silhouette uses a random sample of that
    size drawn with ``random_state``, the same sample for every k.
    """
    n_samples = X.shape[0]
    sample = None
    if n_samples > SILHOUETTE_SAMPLE:
        rng = np.random.default_rng(random_state)
        sample = np.sort(rng.choice(n_samples, SILHOUETTE_SAMPLE, replace=False))

    rows = []
    for k in candidates:
        estimator = make_estimator("kmeans", k, random_state, n_samples).fit(X)
        labels = estimator.predict(X)
        if sample is None:
            score = _silhouette(X, labels)
        else:
            score = _silhouette(X[sample], labels[sample])
        rows.append({"k": k, "silhouette": score,
                     "inertia": float(estimator.inertia_)})
        logger.debug("k-means k=%d: silhouette %.4f", k, score)
    return pd.DataFrame(rows)


def _silhouette(X: np.ndarray, labels: np.ndarray) -> float:
    # The silhouette is undefined for a single cluster (k-means may leave one
    # cluster in a sample); -1 keeps that k from being chosen.
    if len(np.unique(labels)) < 2:
        return -1.0
    return float(silhouette_score(X, labels))


def bic_curve(X: np.ndarray, candidates, random_state: int) -> pd.DataFrame:
    """Return BIC and AIC of the Gaussian mixture for each candidate k.

    Above ``GMM_SELECTION_SAMPLE`` rows the mixtures are fitted to a random sample
    of that size drawn with ``random_state``.
    """
    n_samples = X.shape[0]
    data = X
    if n_samples > GMM_SELECTION_SAMPLE:
        rng = np.random.default_rng(random_state)
        data = X[np.sort(rng.choice(n_samples, GMM_SELECTION_SAMPLE, replace=False))]

    rows = []
    for k in candidates:
        mixture = make_estimator("gmm", k, random_state, n_samples).fit(data)
        rows.append({"k": k, "bic": float(mixture.bic(data)),
                     "aic": float(mixture.aic(data))})
    return pd.DataFrame(rows)


def order_by_size(labels: np.ndarray, k: int) -> np.ndarray:
    """Return the map from estimator label to size rank (0 the largest).

    Equal sizes keep the estimator's order. Labels that no row received rank last.
    """
    sizes = np.bincount(labels, minlength=k)
    ranked = np.argsort(-sizes, kind="stable")
    order = np.empty(k, dtype=int)
    order[ranked] = np.arange(k)
    return order


def stability(X: np.ndarray, method: str, k: int,
              seeds: tuple[int, ...] = STABILITY_SEEDS) -> dict:
    """Return the adjusted Rand index between runs with different seeds.

    Returns
    -------
    dict
        ``mean_ari`` and ``min_ari`` over all pairs of runs, ``seeds``, and
        ``pairs``: a DataFrame with ``seed_a``, ``seed_b`` and ``ari``.
    """
    X = np.asarray(X, dtype=float)
    runs = {seed: make_estimator(method, k, seed, X.shape[0]).fit(X).predict(X)
            for seed in seeds}
    pairs = pd.DataFrame(
        [{"seed_a": a, "seed_b": b, "ari": float(adjusted_rand_score(runs[a], runs[b]))}
         for a, b in itertools.combinations(seeds, 2)])
    return {"mean_ari": float(pairs["ari"].mean()),
            "min_ari": float(pairs["ari"].min()),
            "seeds": list(seeds), "pairs": pairs}
