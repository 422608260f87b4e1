export default function ContinuityView() {
  return <p>À venir</p>;
}
