export default function TerritoriesView() {
  return <p>À venir</p>;
}
