// Recommendations: an item-to-item graph learned from the listening log (co-listens.ts, a log
// consumer), ranked with content similarity and the viewer's own verdicts (rank.ts), served as
// "more like this", radio and the home page's mixes (recommend.ts). README.md explains the model.
export { coListensConsumer, PAIR_DEPTH, SESSION_GAP_MS } from './co-listens.ts'
export {
  createRecommender,
  MAX_RECOMMENDED,
  type Mix,
  type RecommendDeps,
  type Recommended,
  type Recommender,
  type Seed,
} from './recommend.ts'
